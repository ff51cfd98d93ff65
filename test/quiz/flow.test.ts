import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { AFTER_ROUND, DURING_ROUND, plan } from './helpers.js';

type Reply = Awaited<ReturnType<typeof simulate>>[number];
const all = (replies: Reply[]) => replies.map((r) => r.text).join('\n---\n');

describe('quiz contest on the simulator', () => {
  let t: TestApp;
  const clock = new ManualClock(DURING_ROUND);
  beforeEach(async () => {
    clock.set(DURING_ROUND);
    t = await startTestApp({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  const say = (userId: string, text: string) => simulate(t.app, { userId, text });
  const tap = (userId: string, payload: string) =>
    simulate(t.app, { userId, text: payload, payload });

  /** Plays the whole round, `secondsEach` per answer, and returns the last replies. */
  async function play(userId: string, choices: number[], secondsEach = 5): Promise<Reply[]> {
    let replies = await say(userId, 'tôi muốn dự thi');
    expect(all(replies)).toContain('vòng thi minh hoạ');
    replies = await say(userId, 'Ha Noi');
    for (const [i, c] of choices.entries()) {
      const question = replies.at(-1)!;
      expect(question.text).toContain(`Câu ${i + 1}/10`);
      clock.advance(secondsEach * 1000);
      replies = await tap(userId, question.choices![c]!.payload);
    }
    return replies;
  }

  it('plays a full round: feedback, score, certificate, leaderboard by nickname', async () => {
    let replies = await say('u1', 'tôi muốn dự thi');
    expect(all(replies)).toContain('10 câu hỏi');
    expect(all(replies)).toContain('Lưu ý: đây là vòng thi minh hoạ');
    replies = await say('u1', 'Ha Noi');
    const first = replies.at(-1)!;
    expect(first.text).toContain('Câu 1/10: Mật khẩu nào dưới đây an toàn nhất?');
    expect(first.text).toContain('3. Một cụm từ dài có chữ, số và ký hiệu');
    // Payloads carry positions only: nothing tells the right one apart.
    expect(first.choices!.map((c) => c.payload)).toEqual(['QZ:0:0', 'QZ:0:1', 'QZ:0:2']);

    replies = await say('u1', '3'); // typed number = third choice, the right one
    expect(replies[0]!.text).toContain('✅ Chính xác!');
    expect(replies[0]!.text).toContain('💡 Dùng mật khẩu dài');
    expect(replies.at(-1)!.text).toContain('Câu 2/10');
    replies = await tap('u1', 'QZ:1:0'); // wrong
    expect(replies[0]!.text).toContain(
      '❌ Chưa đúng. Đáp án đúng là: Không đưa mã, gọi lại tổng đài chính thức.',
    );
    const rest = plan(10).slice(2);
    for (const [i, c] of rest.entries()) {
      clock.advance(3000);
      replies = await tap('u1', `QZ:${i + 2}:${c}`);
    }
    const end = all(replies);
    expect(end).toContain('Anh/chị trả lời đúng 9/10 câu, trong 24 giây.');
    expect(end).toContain('không phải giấy chứng nhận chính thức');
    expect(replies.at(-1)!.text).toContain('bảng xếp hạng của tỉnh');

    replies = await say('u1', 'có');
    expect(replies.at(-1)!.text).toContain('biệt danh');
    replies = await say('u1', '0912345678');
    expect(replies.at(-1)!.text).toContain('Biệt danh cần 2-20 ký tự');
    replies = await say('u1', 'Hoa Sen');
    expect(replies.at(-1)!.text).toContain('Bảng xếp hạng “Vòng thi minh hoạ');
    expect(replies.at(-1)!.text).toContain('1. Hoa Sen: 9/10 câu, 24 giây');
    expect(replies.at(-1)!.text).toContain('Anh/chị đứng thứ 1 ở Hà Nội.');

    const stored = await t.services.quiz.repo.all(2020);
    expect(stored).toEqual([
      expect.objectContaining({ score: 9, total: 10, province: 'ha-noi', nickname: 'Hoa Sen' }),
    ]);
  });

  it('allows one attempt per person per round', async () => {
    await play('u2', plan(7));
    await say('u2', 'không');
    const again = await say('u2', 'thi');
    expect(all(again)).toContain('Anh/chị đã dự “Vòng thi minh hoạ');
    expect(all(again)).toContain('đúng 7/10 câu');
    expect(all(again)).not.toContain('Câu 1/10');
    // An old answer button tapped again records nothing.
    await tap('u2', 'QZ:0:0');
    expect(await t.services.quiz.repo.all(2020)).toEqual([
      expect.objectContaining({ score: 7, answered: 10, showOnBoard: false }),
    ]);
  });

  it('ranks by score, then by time; only those who agreed are shown, by nickname', async () => {
    await play('slow', plan(8), 20);
    await say('slow', 'có');
    await say('slow', 'Chậm mà chắc');
    await play('fast', plan(8), 2);
    await say('fast', 'có');
    await say('fast', 'Nhanh nhẹn');
    await play('hidden', plan(10), 2);
    const hiddenEnd = await say('hidden', 'không');
    expect(all(hiddenEnd)).toContain('không hiện anh/chị trên bảng xếp hạng');
    const board = await say('fast', 'bảng xếp hạng');
    const text = board.at(-1)!.text;
    expect(text).toMatch(
      /1\. Nhanh nhẹn: 8\/10 câu, 20 giây\n2\. Chậm mà chắc: 8\/10 câu, 3 phút 20 giây/,
    );
    expect(text).not.toContain('hidden');
    // The hidden entrant still counts: "fast" is second of three in the province.
    expect(text).toContain('Anh/chị đứng thứ 2 ở Hà Nội.');
    const figures = await t.services.quiz.figures();
    expect(figures.totals).toEqual({ entrants: 3, finished: 3, passed: 3 });
    expect(figures.rounds[0]!.byProvince['ha-noi']).toEqual({
      entrants: 3,
      finished: 3,
      passed: 3,
    });
  });

  it('refuses answers once the round closed, and says no round is open', async () => {
    await say('u3', 'thi');
    const q1 = await say('u3', 'Đà Nẵng');
    clock.set(AFTER_ROUND);
    const late = await tap('u3', q1.at(-1)!.choices![0]!.payload);
    expect(all(late)).toContain('vòng thi đã đóng lúc');
    expect(all(late)).toContain('không được tính');
    const [attempt] = await t.services.quiz.repo.all(2020);
    expect(attempt).toEqual(expect.objectContaining({ answered: 0, finishedAt: null }));
    expect(all(await say('u3', 'thi'))).toContain('Hiện chưa có vòng thi nào đang mở');
  });

  it('resumes an attempt left half-way at the next question', async () => {
    await say('u4', 'thi');
    await say('u4', 'Huế');
    await tap('u4', 'QZ:0:2');
    await say('u4', 'menu');
    const back = await say('u4', 'dự thi');
    expect(all(back)).toContain('Anh/chị đã làm 1/10 câu; mời anh/chị làm tiếp từ câu 2.');
    expect(back.at(-1)!.text).toContain('Câu 2/10');
  });

  it('"xóa dữ liệu" erases the attempt and its answers', async () => {
    await play('u7', plan(8));
    await say('u7', 'có');
    await say('u7', 'Hoa Mai');
    expect(all(await say('u7', 'xóa dữ liệu'))).toContain('Xóa toàn bộ dữ liệu');
    await say('u7', 'có');
    expect(await t.services.quiz.repo.all(2020)).toEqual([]);
    const answers = await t.services.store.db.selectFrom('quiz_answers').selectAll().execute();
    expect(answers).toEqual([]);
    expect(all(await say('u8', 'bảng xếp hạng'))).toContain('hãy dự thi');
  });

  it('leaves questions about the contest to the FAQ and speaks English', async () => {
    const faq = await say('u5', 'cuộc thi công dân học tập là gì');
    expect(all(faq)).not.toContain('vòng thi minh hoạ');
    const en = await simulate(t.app, { userId: 'u6', text: 'English' });
    expect(en[0]!.text).toContain('Switched to English');
    const quiz = await say('u6', 'take the quiz');
    expect(all(quiz)).toContain('demonstration round');
    const q = await say('u6', 'Hanoi');
    expect(q.at(-1)!.text).toContain('Question 1/10: Which password below is the safest?');
  });
});
