import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  all,
  BEFORE_WEEK,
  contentDir,
  last,
  registerUpTo,
  say,
  SMALL_CATALOGUE,
  tap,
  type Reply,
} from '../registration/helpers.js';

/** The small catalogue with room for every test here. */
const ROOMY = {
  ...SMALL_CATALOGUE,
  courses: SMALL_CATALOGUE.courses.map((c) => ({
    ...c,
    sessions: c.sessions.map((s) => ({ ...s, capacity: 1000 })),
  })),
};

const UNSUBSCRIBED =
  'Đã tắt thông báo: anh/chị sẽ không nhận tin của Ban tổ chức nữa. Anh/chị gõ “bật thông báo” nếu muốn nhận lại.';
const CANCELLED = 'Đã hủy. Anh/chị có thể chọn mục khác trong menu ạ.';
const NAME_PROMPT = 'Họ và tên đầy đủ';
const PHONE_PROMPT = 'Số điện thoại';

const texts = (replies: Reply[]) => replies.map((r) => r.text);

/**
 * Words that cut through a dialog: the opt-out works at any moment (withdrawing consent must be
 * as easy as giving it), "hủy" stays the cancel word, and menu and language words still work.
 */
describe('words that work in the middle of a dialog (simulator)', () => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  let n = 0;
  const user = () => `cut-${++n}`;
  /** A phone number of its own for each test (one registration per phone and session). */
  const phone = () => `09123456${String(n).padStart(2, '0')}`;
  const contact = (u: string) => t.services.contacts.get('simulator', u);
  const registrations = (u: string) => t.services.registration.repo.listByUser('simulator', u);
  const mainMenu = async () => ((await t.services.welcome('vi')).choices ?? []).map((c) => c.payload);

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CONTENT_DIR: contentDir(ROOMY) } });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A subscribed person who has started registering and is asked for their phone number. */
  async function subscribedAtPhone(): Promise<string> {
    const u = user();
    await say(t.app, u, 'bật thông báo');
    await tap(t.app, u, 'REGISTER:pair-0310');
    expect(last(await say(t.app, u, 'Lê Văn Dũng')).text).toContain(PHONE_PROMPT);
    return u;
  }

  it.each(['hủy nhận tin', 'Huy nhan tin', 'unsubscribe', 'tắt thông báo'])(
    '%j turns announcements off and asks the same question again; the registration goes on',
    async (word) => {
      const u = await subscribedAtPhone();
      const replies = await say(t.app, u, word);
      expect(replies[0]!.text).toBe(UNSUBSCRIBED);
      expect(last(replies).text).toContain(PHONE_PROMPT);
      expect(await contact(u)).toMatchObject({ optedIn: false });
      // The answers given before were kept: the next answer moves to the next step.
      expect(last(await say(t.app, u, phone())).text).toContain('tỉnh/thành phố nào');
      await say(t.app, u, 'Nghệ An');
      await say(t.app, u, 'đồng ý');
      const done = await say(t.app, u, 'có');
      expect(all(done)).toMatch(/Mã đăng ký của anh\/chị: [A-Z0-9]{6}/);
      expect(await registrations(u)).toEqual([
        expect.objectContaining({ fullName: 'Lê Văn Dũng', phone: `+84${phone().slice(1)}` }),
      ]);
    },
  );

  it.each(['dừng', 'Dừng lại!', 'STOP'])(
    '%j turns announcements off and ends the registration (nothing stored)',
    async (word) => {
      const u = await subscribedAtPhone();
      const replies = await say(t.app, u, word);
      expect(texts(replies)[0]).toBe(UNSUBSCRIBED);
      expect(last(replies).text).toContain(CANCELLED);
      expect(last(replies).choices?.map((c) => c.payload)).toEqual(await mainMenu());
      expect(await contact(u)).toMatchObject({ optedIn: false });
      // The dialog is over: a phone number now is not taken as an answer.
      expect(all(await say(t.app, u, '0912345678'))).not.toContain('tỉnh/thành phố nào');
      expect(await registrations(u)).toEqual([]);
    },
  );

  it('"dừng" at the consent question is not a "yes" (đúng): nothing is consented or stored', async () => {
    const u = user();
    await tap(t.app, u, 'REGISTER:pair-0310');
    for (const text of ['Lê Văn Dũng', phone(), 'Nghệ An']) await say(t.app, u, text);
    const replies = await say(t.app, u, 'dừng');
    // Not subscribed: only the registration stops, no word about announcements.
    expect(texts(replies)).toEqual([expect.stringContaining(CANCELLED)]);
    expect(await t.services.registration.consents.history('simulator', u)).toEqual([]);
    expect(await registrations(u)).toEqual([]);
  });

  it('"dừng" at the delete-my-data question keeps the data', async () => {
    const u = user();
    await registerUpTo(t, u, 'pair-0310', { name: 'Lê Văn Dũng', phone: phone() });
    expect(last(await say(t.app, u, 'xóa dữ liệu')).text).toContain('Xóa toàn bộ dữ liệu');
    expect(last(await say(t.app, u, 'dừng')).text).toContain(CANCELLED);
    expect(await registrations(u)).toHaveLength(1);
    expect(await contact(u)).toBeDefined();
  });

  it('"bật thông báo" mid-registration subscribes without buttons and asks the question again', async () => {
    const u = user();
    await tap(t.app, u, 'REGISTER:pair-0310');
    const replies = await say(t.app, u, 'bật thông báo');
    expect(replies[0]).toEqual({
      text: 'Đã bật thông báo về: tất cả các chủ đề. Anh/chị gõ “dừng” hoặc “hủy nhận tin” bất cứ lúc nào để ngừng nhận.',
    });
    expect(last(replies).text).toContain(NAME_PROMPT);
    expect(await contact(u)).toMatchObject({ optedIn: true, topics: ['all'] });
    expect(last(await say(t.app, u, 'Lê Văn Dũng')).text).toContain(PHONE_PROMPT);
  });

  it('a "Stop" button of an earlier message tapped mid-registration works and the dialog goes on', async () => {
    const u = await subscribedAtPhone();
    const replies = await tap(t.app, u, 'UNSUBSCRIBE');
    expect(texts(replies)[0]).toBe(UNSUBSCRIBED);
    expect(last(replies).text).toContain(PHONE_PROMPT);
    expect(await contact(u)).toMatchObject({ optedIn: false });
  });

  it('"unsubscribe" in English answers and asks again in English', async () => {
    const u = user();
    await say(t.app, u, 'English');
    await say(t.app, u, 'subscribe');
    await tap(t.app, u, 'REGISTER:pair-0310');
    const replies = await say(t.app, u, 'unsubscribe');
    expect(replies[0]!.text).toMatch(/^Announcements are off/);
    expect(last(replies).text).toMatch(/full name/i);
  });

  it('"hủy" alone still cancels the dialog and leaves announcements on', async () => {
    const u = await subscribedAtPhone();
    const replies = await say(t.app, u, 'hủy');
    expect(texts(replies)).toEqual([expect.stringContaining(CANCELLED)]);
    expect(await contact(u)).toMatchObject({ optedIn: true });
    expect(await registrations(u)).toEqual([]);
  });

  it('"menu" still works in the middle of a dialog: the dialog ends', async () => {
    const u = await subscribedAtPhone();
    const replies = await say(t.app, u, 'menu');
    expect(last(replies).text).toContain('Anh/chị muốn tìm hiểu nội dung nào?');
    expect(last(replies).choices).toHaveLength((await mainMenu()).length);
    expect(all(await say(t.app, u, '0912345678'))).not.toContain('tỉnh/thành phố nào');
    expect(await contact(u)).toMatchObject({ optedIn: true });
  });

  it.each(['English', 'chuyển sang tiếng Anh giúp mình'])(
    '%j in the middle of a dialog switches and asks the same question in English',
    async (word) => {
      const u = await subscribedAtPhone();
      const replies = await say(t.app, u, word);
      expect(texts(replies)[0]).toBe('Switched to English.');
      expect(last(replies).text).toMatch(/mobile phone/i);
      expect(await contact(u)).toMatchObject({ optedIn: true, locale: 'en' });
      // The language word was not the answer; the next answer is.
      expect(last(await say(t.app, u, phone())).text).toMatch(/province/i);
    },
  );

  it('"Tiếng Việt" switches back in the middle of a dialog', async () => {
    const u = user();
    await say(t.app, u, 'English');
    await tap(t.app, u, 'REGISTER:pair-0310');
    const replies = await say(t.app, u, 'Tiếng Việt');
    expect(texts(replies)[0]).toBe('Đã chuyển sang tiếng Việt.');
    expect(last(replies).text).toContain(NAME_PROMPT);
  });
});
