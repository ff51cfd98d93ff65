import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { csvRecords } from '../helpers/csv.js';
import {
  Person,
  startPlatform,
  texts,
  type Platform,
  type PlatformId,
} from '../helpers/platforms.js';
import { DURING_ROUND, plan } from '../quiz/helpers.js';

const TOKEN = 'e2e-admin-token-0123456789';

// Two people on each platform take the demonstration round through signed webhooks (taps and
// typed numbers), the bot's questions arriving at the platform's fake API over real HTTP: the
// score, the certificate, the province's leaderboard, one attempt each, then the exports.
describe.each<PlatformId>(['messenger', 'viber', 'zalo'])('quiz round end to end on %s', (id) => {
  let platform: Platform | undefined;
  let t: TestApp | undefined;
  let base = '';
  const clock = new ManualClock(DURING_ROUND);

  afterEach(async () => {
    await t?.close();
    await platform?.close();
  });

  async function get(path: string): Promise<Response> {
    const res = await fetch(`${base}/api/v1${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    return res;
  }

  /** Plays the round: taps for the first half, typed numbers for the rest. */
  async function play(person: Person, choices: number[]): Promise<string> {
    expect(texts(await person.type('tôi muốn dự thi'))).toContain('vòng thi minh hoạ');
    let replies = await person.type('Hà Nội');
    for (const [i, c] of choices.entries()) {
      expect(texts(replies)).toContain(`Câu ${i + 1}/10`);
      const payloads = replies.at(-1)!.payloads;
      expect(payloads).toEqual([0, 1, 2].map((n) => `QZ:${i}:${n}`));
      replies = i < 5 ? await person.tap(`QZ:${i}:${c}`) : await person.type(String(c + 1));
      expect(texts(replies)).toMatch(/Chính xác|Chưa đúng/);
    }
    return texts(replies);
  }

  it('scores, ranks by nickname, allows one attempt each and exports the results', async () => {
    platform = await startPlatform(id);
    t = await startTestApp({ clock, env: { ...platform.env, ADMIN_TOKEN: TOKEN } });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const conversation = { base: () => base, idle: () => t!.services.inbox.idle(), clock };
    const ana = new Person(platform, `${id}-ana`, conversation);
    const binh = new Person(platform, `${id}-binh`, conversation);

    const end = await play(ana, plan(10));
    expect(end).toContain('Anh/chị trả lời đúng 10/10 câu');
    expect(end).toContain('🎉 Chúc mừng');
    await ana.type('có');
    const board = texts(await ana.type('Sao Mai'));
    expect(board).toContain('1. Sao Mai: 10/10 câu');

    expect(await play(binh, plan(6))).toContain('Anh/chị trả lời đúng 6/10 câu');
    await binh.type('1');
    const second = texts(await binh.type('Binh Minh'));
    expect(second).toMatch(/1\. Sao Mai: 10\/10 câu.*\n2\. Binh Minh: 6\/10 câu/);
    expect(second).toContain('Anh/chị đứng thứ 2 ở Hà Nội.');

    const again = texts(await binh.type('thi'));
    expect(again).toContain('Mỗi người chỉ được làm một lần');
    expect(again).not.toContain('Câu 1/10');

    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await (await get('/quiz/results?format=csv')).arrayBuffer(),
    );
    const rows = csvRecords(csv.slice(1));
    expect(rows).toEqual([
      expect.objectContaining({
        channel: id,
        score: '10',
        passed: 'yes',
        rank_in_province: '1',
        nickname_shown: 'Sao Mai',
      }),
      expect.objectContaining({
        channel: id,
        score: '6',
        passed: 'no',
        rank_in_province: '2',
        nickname_shown: 'Binh Minh',
      }),
    ]);
    const xlsx = await get('/quiz/results?format=xlsx&round=minh-hoa-1');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('results')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(6).value).toBe(10);
    expect(sheet.getRow(3).getCell(13).value).toBe('Binh Minh');
  });
});
