import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK } from '../registration/helpers.js';

/** Whatever arrives, a citizen gets a polite reply: no exception, no silence, no wrong answer. */
describe('bad input (simulator)', () => {
  let t: TestApp;
  let n = 0;
  const send = (text: string, userId = `bad-${++n}`) => simulate(t.app, { userId, text });
  const joined = (replies: Array<{ text: string }>) => replies.map((r) => r.text).join('\n');
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(BEFORE_WEEK) });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['an empty message', ''],
    ['spaces only', '   \n\t '],
    ['emoji only', '👍👍🙏'],
    ['zero-width characters only', '\u200b\u200c\u200d\ufeff'],
    ['punctuation only', '?!...'],
  ])('%s gets the invitation to type a question, with the menu', async (_name, text) => {
    const replies = await send(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('Anh/chị vui lòng gõ câu hỏi bằng chữ');
    expect(replies[0]!.choices?.length).toBeGreaterThan(0);
  });

  it('10,000 characters: only the first 500 are read, and the question in them is answered', async () => {
    const text = `Cho mình hỏi chủ đề năm nay là gì? ${'Mình rất quan tâm đến học tập. '.repeat(330)}`;
    expect(text.length).toBeGreaterThan(10_000);
    const replies = await send(text);
    expect(joined(replies)).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
  });

  it('a question past the first 500 characters is not read: a polite reply, not a guess', async () => {
    const text = `${'xin chào '.repeat(80)} lễ khai mạc ngày nào`;
    const replies = await send(text);
    expect(replies.length).toBeGreaterThan(0);
    expect(joined(replies)).not.toContain('01/10/2020');
  });

  it('zero-width characters inside words do not hide a command or a question', async () => {
    const u = `bad-zw-${++n}`;
    await send('bật thông báo', u);
    await send('không\u200b muốn nhận\u200d tin nữa', u);
    expect(await t.services.contacts.get('simulator', u)).toMatchObject({ optedIn: false });
    expect(joined(await send('chủ đề\u200b năm nay\ufeff là gì'))).toContain('Chuyển đổi số');
  });

  it('an opt-out inside a long message turns announcements off (and is not missed)', async () => {
    const u = `bad-long-${++n}`;
    await send('bật thông báo', u);
    const text =
      'Chào ad, mấy hôm nay mình nhận được rất nhiều tin nhắn về tuần lễ, mình cũng đã đọc hết rồi ' +
      'và thấy nội dung rất hay, cảm ơn ban tổ chức. Nhưng giờ mình bận quá, ad đừng gửi tin cho mình nữa nhé.';
    await send(text, u);
    expect(await t.services.contacts.get('simulator', u)).toMatchObject({ optedIn: false });
  });

  it.each([
    ['Chinese around a Vietnamese question', '你好 chủ đề năm nay là gì'],
    ['Cyrillic around an English question', 'Привет what is the theme'],
  ])('mixed scripts: %s is answered', async (_name, text) => {
    expect(joined(await send(text)).toLowerCase()).toMatch(/chuyển đổi số|digital transformation/);
  });

  it.each([
    'constructor',
    'tôi muốn học constructor',
    'toString',
    '__proto__ hasOwnProperty',
    'valueOf là gì',
  ])('words every JavaScript object knows (%s) get a reply, not an error', async (text) => {
    const replies = joined(await send(text));
    // "tôi muốn học …" reads as a wish to study: the courses are offered.
    expect(replies).toMatch(/tôi chưa hiểu ý anh\/chị|Các khóa học/);
    expect(replies).not.toContain('trục trặc');
    expect(replies).not.toContain('function');
  });

  it('a message in another script only gets the polite fallback with the menu', async () => {
    const replies = await send('Привет, как дела');
    expect(replies[0]!.text).toMatch(/chưa hiểu ý anh\/chị|vui lòng gõ câu hỏi/);
    expect(replies[0]!.choices?.length).toBeGreaterThan(0);
  });

  it('right-to-left marks and combining marks typed apart (NFD) still read as Vietnamese', async () => {
    const nfd = 'chủ đề năm nay là gì'.normalize('NFD');
    expect(joined(await send(`\u202b${nfd}\u202c`))).toContain('Chuyển đổi số');
  });
});
