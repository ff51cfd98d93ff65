import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';

/** 26/09/2020 10:00 in Ho Chi Minh City: five days before the Week. */
const BEFORE_WEEK = Date.parse('2020-09-26T03:00:00Z');

describe('questions and answers (simulator)', () => {
  let t: TestApp;
  let user = 0;
  const ask = (text: string, userId = `u${(user += 1)}`) => simulate(t.app, { userId, text });
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(BEFORE_WEEK) });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    [
      'tuan le hoc tap suot doi dien ra khi nao',
      'Tuần lễ năm 2020 được tổ chức từ ngày 01/10/2020 đến ngày 07/10/2020, trong đó Lễ khai mạc Tuần lễ được tổ chức vào ngày 01/10/2020.',
    ],
    [
      'chủ đề năm nay là gì',
      'Chủ đề của Tuần lễ năm 2020: “Chuyển đổi số thúc đẩy Học tập suốt đời”.',
    ],
    [
      'ai tổ chức',
      'chỉ đạo Sở GDĐT, Hội khuyến học tỉnh và các đơn vị có liên quan tổ chức Tuần lễ',
    ],
    [
      'what is the theme',
      'The theme of the 2020 Week: “Digital Transformation Drives Lifelong Learning”',
    ],
    [
      'có lớp tập huấn an toàn mạng ko',
      'các lớp tập huấn, hướng dẫn về kỹ năng tìm kiếm, khai thác, sử dụng thông tin trên mạng Internet một cách an toàn, hiệu quả',
    ],
    ['chur ddeef nawm nay laf gif', 'Chuyển đổi số thúc đẩy Học tập suốt đời'],
    ['đk khóa học ntn', 'chọn mục “Đăng ký khóa học”'],
    ['bao cao ket qua truoc ngay nao', 'trước ngày 30/10/2020'],
  ])('answers %j', async (text, expected) => {
    const replies = await ask(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(expected);
  });

  it('says how far away the Week is in the dates answer, from the clock', async () => {
    const [reply] = await ask('tuần lễ diễn ra khi nào');
    expect(reply!.text).toContain('Còn 5 ngày nữa là đến Tuần lễ năm 2020.');
  });

  it('offers follow-ups as numbered buttons that work by typing their number', async () => {
    const [answer] = await ask('chủ đề năm nay là gì', 'follow');
    expect(answer!.text).toMatch(/Anh\/chị có thể hỏi tiếp:\n1\. Chuyển đổi số\n2\. Mục đích/);
    expect(answer!.choices?.map((c) => c.payload)).toEqual([
      'FAQ:digital-transformation',
      'FAQ:purpose',
      'FAQ:dates',
      'MENU',
    ]);
    const [purpose] = await ask('2', 'follow');
    expect(purpose!.text).toContain(
      'nâng cao nhận thức của người dân về vai trò của chuyển đổi số',
    );
  });

  it('answers a Vietnamese user who asks in English in English, and says so', async () => {
    const [reply] = await ask('who organises the week?');
    expect(reply!.text).toContain('Ministry of Education and Training');
    expect(reply!.text).toContain('You asked in English, so I answered in English.');
    expect(reply!.choices?.at(-1)?.title).toBe('Main menu');
  });

  it('answers an English user in English without a note', async () => {
    await simulate(t.app, { userId: 'en1', text: 'English' });
    const [reply] = await simulate(t.app, { userId: 'en1', text: 'when is the opening ceremony' });
    expect(reply!.text).toContain('Opening ceremony of the 2020 Week: 1 October 2020');
    expect(reply!.text).not.toContain('You asked in English');
  });

  it('asks "Did you mean...?" with buttons when two answers fit', async () => {
    const [reply] = await ask('thư viện có tài liệu số không', 'dym');
    expect(reply!.text).toMatch(/^Có phải anh\/chị muốn hỏi:\n1\. /);
    const payloads = reply!.choices?.map((c) => c.payload) ?? [];
    expect(payloads).toContain('FAQ:libraries');
    expect(payloads.at(-1)).toBe('MENU');
    const picked = await ask(String(payloads.indexOf('FAQ:libraries') + 1), 'dym');
    expect(picked[0]!.text).toContain('thư viện công cộng, thư viện nhà trường');
  });

  it('says plainly when the letter does not answer, offers contact and menu, keeps the question', async () => {
    const [reply] = await ask('Giá vàng hôm nay bao nhiêu?', 'gold');
    expect(reply!.text).toContain('Công văn về Tuần lễ năm 2020 không nói về điều này');
    expect(reply!.text).not.toContain('Có phải anh/chị muốn hỏi');
    const payloads = reply!.choices?.map((c) => c.payload);
    expect(payloads).toContain('FAQ:contact');
    expect(payloads?.at(-1)).toBe('MENU');
    const contact = await t.services.contacts.get('simulator', 'gold');
    const kept = await t.services.store.db
      .selectFrom('unanswered_questions')
      .select(['text', 'outcome'])
      .where('contact_id', '=', contact!.id)
      .execute();
    expect(kept).toEqual([{ text: 'Giá vàng hôm nay bao nhiêu?', outcome: 'none' }]);
  });

  it('answers two questions of one message, each with its facts', async () => {
    const replies = await ask('kinh phí lấy ở đâu, còn báo cáo kết quả trước ngày nào');
    const all = replies.map((r) => r.text).join('\n');
    expect(all).toContain('07/TT-BTC');
    expect(all).toContain('30/10/2020');
  });

  it('finds the question at the end of a long message', async () => {
    const text =
      'Chào ad, em là giáo viên ở một trường THCS, hiệu trưởng giao em chuẩn bị cho tuần lễ năm nay ' +
      'mà em chưa làm bao giờ nên hơi lo. Cho em hỏi kinh phí tổ chức lấy từ nguồn nào ạ?';
    const replies = await ask(text);
    expect(replies.map((r) => r.text).join('\n')).toContain('07/TT-BTC');
  });

  it('answers a question about the calendar asked at the end of a long message', async () => {
    const short = await ask('tuần lễ bắt đầu từ hôm nào');
    const text =
      'Chào bạn. Mình là công nhân khu công nghiệp, làm ca xoay liên tục nên hiếm khi tới lớp ' +
      'được. Cho mình hỏi tuần lễ bắt đầu từ hôm nào để mình xin đổi ca?';
    const replies = await ask(text);
    expect(replies[0]!.text).not.toContain('chưa hiểu ý');
    expect(replies[0]!.text.split('\n')[0]).toBe(short[0]!.text.split('\n')[0]);
  });

  it('reads the English words a Vietnamese message borrows as the questions say them', async () => {
    for (const text of [
      'cho mình hỏi deadline gửi report cho Bộ là hôm nào',
      'purpose chính của event này là gì',
    ]) {
      const [reply] = await ask(text);
      expect(reply!.text, text).not.toContain('không nói về điều này');
    }
    const [deadline] = await ask('deadline gửi report cho Bộ là hôm nào');
    expect(deadline!.text).toContain('30/10/2020');
  });

  it('reads Central and Southern words as the questions say them', async () => {
    const [reply] = await ask('Báo cáo gửi ra Bộ thì hạn chót bữa mô rứa o?');
    expect(reply!.text).toContain('30/10/2020');
  });

  it('lists the courses of the catalogue, live, with registration open or not', async () => {
    const replies = await ask('bên mình có những khoá gì để học vậy');
    const text = replies.map((r) => r.text).join('\n');
    for (const course of t.services.content.courses.courses)
      expect(text).toContain(course.title.vi);
    expect(replies[0]!.choices?.map((c) => c.payload)).toContain('REGISTER');
  });

  it('opens "Hỏi đáp" with an invitation and the popular questions', async () => {
    const replies = await simulate(t.app, { userId: 'menu1', payload: 'FAQ' });
    expect(replies[0]!.text).toContain('Anh/chị cứ gõ câu hỏi về Tuần lễ');
    expect(replies[0]!.choices?.map((c) => c.payload)).toEqual([
      'FAQ:theme',
      'FAQ:dates',
      'FAQ:activities',
      'FAQ:safe-internet',
      'FAQ:take-part',
      'FAQ:digital-transformation',
      'FAQ:register',
      'MENU',
    ]);
    const [theme] = await simulate(t.app, { userId: 'menu1', text: '1' });
    expect(theme!.text).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
  });

  it('lists "Hỏi đáp" and "Sự kiện" in the main menu before the language switch', async () => {
    const [menu] = await ask('menu');
    const payloads = menu!.choices?.map((c) => c.payload) ?? [];
    expect(payloads).toContain('FAQ');
    expect(payloads).toContain('EVENTS');
    expect(payloads.at(-1)).toBe('LANG:TOGGLE');
    const faq = payloads.indexOf('FAQ') + 1;
    expect(menu!.text).toContain(`${faq}. Hỏi đáp\n${faq + 1}. Sự kiện`);
  });

  it('answers a button of an entry that no longer exists with the popular questions', async () => {
    const [reply] = await simulate(t.app, { userId: 'gone', payload: 'FAQ:removed-entry' });
    expect(reply!.text).toContain('Câu hỏi này không còn trong danh sách');
    expect(reply!.choices?.[0]?.payload).toBe('FAQ:theme');
  });
});
