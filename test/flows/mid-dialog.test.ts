import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK, last, say, tap, type Reply } from '../registration/helpers.js';

/** The steps of a registration (shipped sample catalogue) and the answers that lead to each. */
const STEPS: Array<[string, string[]]> = [
  ['kind', []],
  ['course', ['2']],
  ['name', ['2', '2']],
  ['phone', ['2', '2', 'Lê Minh Châu']],
  ['province', ['2', '2', 'Lê Minh Châu', '0987000111']],
  ['audience', ['2', '2', 'Lê Minh Châu', '0987000111', 'Nghệ An']],
  ['consent', ['2', '2', 'Lê Minh Châu', '0987000111', 'Nghệ An', '1']],
  ['summary', ['2', '2', 'Lê Minh Châu', '0987000111', 'Nghệ An', '1', 'đồng ý']],
];

const texts = (replies: Reply[]) => replies.map((r) => r.text);

/**
 * Commands in natural sentences at every step of the registration and of the announcements
 * offer: checked by their effect in storage (announcements, language, erasure) and by what the
 * dialog does next (asks the same question, in the new language; or ends).
 */
describe('commands at every step of a dialog (simulator)', () => {
  let t: TestApp;
  let n = 0;
  const user = () => `mid-${++n}`;
  const contact = (u: string) => t.services.contacts.get('simulator', u);
  const registrations = () => t.services.store.db.selectFrom('registrations').selectAll().execute();

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(BEFORE_WEEK) });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A subscribed person at a step of the registration; returns the question they were asked. */
  async function atStep(u: string, before: string[], english = false): Promise<string> {
    if (english) await say(t.app, u, 'English');
    await say(t.app, u, english ? 'subscribe' : 'bật thông báo');
    let replies = await tap(t.app, u, 'REGISTER');
    for (const text of before) replies = await say(t.app, u, text);
    return last(replies).text;
  }

  describe.each(STEPS)('at the %s step', (_step, before) => {
    it('"không muốn nhận tin nữa" turns announcements off and asks the same question', async () => {
      const u = user();
      const question = await atStep(u, before);
      const replies = await say(t.app, u, 'ad ơi mình không muốn nhận tin nữa');
      expect(await contact(u)).toMatchObject({ optedIn: false });
      expect(last(replies).text).toBe(question);
    });

    it('"xoá hết dữ liệu của tôi đi" asks for confirmation first, then erases', async () => {
      const u = user();
      await atStep(u, before);
      const replies = await say(t.app, u, 'xoá hết dữ liệu của tôi đi');
      expect(last(replies).text).toContain('Xóa toàn bộ dữ liệu của anh/chị?');
      expect(await contact(u)).toBeDefined();
      await say(t.app, u, 'có');
      expect(await contact(u)).toBeUndefined();
      expect((await registrations()).filter((r) => r.user_id === u)).toEqual([]);
    });

    it('"English" switches and asks the same question in English, not taking it as the answer', async () => {
      const u = user();
      await atStep(u, before);
      const inEnglish = await atStep(user(), before, true);
      const replies = await say(t.app, u, 'English');
      expect(texts(replies)[0]).toBe('Switched to English.');
      expect(last(replies).text).toBe(inEnglish);
      expect(await contact(u)).toMatchObject({ locale: 'en', optedIn: true });
    });

    it('"thôi không đăng ký nữa" cancels: nothing stored, announcements untouched', async () => {
      const u = user();
      await atStep(u, before);
      const replies = await say(t.app, u, 'thôi không đăng ký nữa');
      expect(last(replies).text).toContain('Đã hủy');
      expect(last(await say(t.app, u, 'có')).text).toContain('chưa hiểu ý anh/chị');
      expect((await registrations()).filter((r) => r.user_id === u)).toEqual([]);
      expect(await contact(u)).toMatchObject({ optedIn: true });
    });
  });

  describe('at the announcements offer', () => {
    async function offered(u: string): Promise<Reply[]> {
      await say(t.app, u, 'bật thông báo');
      return tap(t.app, u, 'SUBSCRIBE');
    }

    it('"stop sending me messages" turns announcements off', async () => {
      const u = user();
      await offered(u);
      await say(t.app, u, 'stop sending me messages');
      expect(await contact(u)).toMatchObject({ optedIn: false });
    });

    it('"xóa dữ liệu của mình" asks first', async () => {
      const u = user();
      await offered(u);
      expect(last(await say(t.app, u, 'xóa dữ liệu của mình')).text).toContain('Xóa toàn bộ');
      expect(await contact(u)).toMatchObject({ optedIn: true });
    });

    it('"chuyển sang tiếng anh" switches; the topic buttons then answer in English', async () => {
      const u = user();
      await offered(u);
      await say(t.app, u, 'chuyển sang tiếng anh');
      expect(await contact(u)).toMatchObject({ locale: 'en' });
      expect(texts(await tap(t.app, u, 'SUBSCRIBE:events'))[0]).toMatch(/^Announcements are on/);
    });

    it('"hủy" leaves the offer for the menu, announcements untouched', async () => {
      const u = user();
      await offered(u);
      const replies = await say(t.app, u, 'hủy');
      expect(last(replies).choices?.map((c) => c.payload)).toContain('SUBSCRIBE');
      expect(await contact(u)).toMatchObject({ optedIn: true });
    });
  });

  it('"đừng xoá dữ liệu của tôi" deletes nothing and asks nothing', async () => {
    const u = user();
    await atStep(u, []);
    const replies = await say(t.app, u, 'đừng xoá dữ liệu của tôi');
    expect(replies.map((r) => r.text).join('\n')).not.toContain('Xóa toàn bộ');
    expect(await contact(u)).toMatchObject({ optedIn: true });
  });

  it('the language button tapped at the delete question asks it again in English', async () => {
    const u = user();
    await say(t.app, u, 'xoá dữ liệu');
    const replies = await tap(t.app, u, 'LANG:en');
    expect(last(replies).text).toMatch(/^Delete all your data\?/);
    expect(await contact(u)).toMatchObject({ locale: 'en' });
  });
});
