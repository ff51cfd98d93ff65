import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from '../../../src/channels/messenger/channel.js';
import { buildProfile } from '../../../src/channels/messenger/profile.js';
import type { WireProfile } from '../../../src/channels/messenger/wire.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { messengerEnv, signMessenger } from '../../helpers/messenger.js';
import { FakeGraphApi } from '../../fakes/fake-graph-api.js';

describe('Messenger profile (npm run setup:messenger)', () => {
  let graph: FakeGraphApi;
  let t: TestApp;
  let profile: WireProfile;
  beforeEach(async () => {
    graph = new FakeGraphApi();
    t = await startTestApp({ env: messengerEnv(await graph.start()) });
    profile = buildProfile(t.services.t, t.services.content);
  });
  afterEach(async () => {
    await t.close();
    await graph.close();
  });

  it('has a Get Started button, greetings within 160 characters and the menu in both languages', () => {
    expect(profile.get_started).toEqual({ payload: 'GET_STARTED' });
    expect(profile.greeting.map((g) => g.locale)).toEqual(['default', 'en_US', 'en_GB']);
    for (const g of profile.greeting) expect([...g.text].length).toBeLessThanOrEqual(160);
    // Set once by a script, so it names no edition: a year in it would go stale.
    expect(profile.greeting[0]!.text).toContain('Trợ lý ảo Tuần lễ hưởng ứng học tập suốt đời');
    expect(profile.greeting[1]!.text).toContain('Lifelong Learning Week');
    for (const g of profile.greeting) expect(g.text).not.toMatch(/20\d\d/);
    const [vi, en, gb] = profile.persistent_menu;
    expect(vi!.call_to_actions).toEqual([
      { type: 'postback', title: 'Giới thiệu Tuần lễ', payload: 'ABOUT' },
      { type: 'postback', title: 'Đăng ký khóa học', payload: 'REGISTER' },
      { type: 'postback', title: 'Đăng ký của tôi', payload: 'MY_REGISTRATIONS' },
      { type: 'postback', title: 'Nhận thông báo', payload: 'SUBSCRIBE' },
      { type: 'postback', title: 'Cuộc thi tìm hiểu', payload: 'QUIZ' },
      { type: 'postback', title: 'Đề cử gương tự học', payload: 'NOMINATE' },
      { type: 'postback', title: 'Nơi đọc sách', payload: 'PLACES' },
      { type: 'postback', title: 'Hỏi đáp', payload: 'FAQ' },
      { type: 'postback', title: 'Sự kiện', payload: 'EVENTS' },
      { type: 'postback', title: 'English', payload: 'LANG:en' },
      { type: 'postback', title: 'Menu chính', payload: 'MENU' },
    ]);
    expect(en!.call_to_actions.map((a) => a.title)).toEqual([
      'About the Week',
      'Register',
      'My registrations',
      'Announcements',
      'Quiz contest',
      'Nominate a learner',
      'Places to read',
      'Questions',
      'Events',
      'Tiếng Việt',
      'Main menu',
    ]);
    expect(gb!.call_to_actions).toEqual(en!.call_to_actions);
  });

  it('stays within Messenger limits and offers every entry of the main menu, in its order', async () => {
    for (const { call_to_actions: items } of profile.persistent_menu) {
      expect(items.length).toBeLessThanOrEqual(20);
      for (const item of items) expect([...item.title].length).toBeLessThanOrEqual(30);
    }
    // The main menu's language entry is a toggle; the persistent menu names its target instead.
    const main = ((await t.services.welcome('vi')).choices ?? [])
      .map((c) => c.payload)
      .filter((p) => !p.startsWith('LANG:'));
    const persistent = profile.persistent_menu[0]!.call_to_actions.map((a) => a.payload).filter(
      (p) => !p.startsWith('LANG:') && p !== 'MENU',
    );
    expect(persistent).toEqual(main);
  });

  async function tap(userId: string, payload: string, n: number): Promise<string> {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: 1,
          messaging: [
            {
              sender: { id: userId },
              recipient: { id: 'PAGE' },
              timestamp: 1_700_000_000_000 + n,
              postback: { title: 'x', payload },
            },
          ],
        },
      ],
    });
    const before = graph.messages().length;
    const res = await t.app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      payload: body,
      headers: signMessenger(body),
    });
    expect(res.statusCode).toBe(200);
    await t.services.inbox.idle();
    // Every text of the turn, in order.
    return graph
      .messages()
      .slice(before)
      .map((m) => m.body.message?.text ?? '')
      .join('\n');
  }

  it('every button it sets is understood by the bot', async () => {
    expect(await tap('P1', 'GET_STARTED', 1)).toMatch(/^Xin chào anh\/chị!/);
    expect(await tap('P1', 'ABOUT', 2)).toContain('01/10/2020');
    expect(await tap('P1', 'MENU', 3)).toMatch(/^Anh\/chị muốn tìm hiểu nội dung nào\?/);
    expect(await tap('P1', 'REGISTER', 4)).toContain('Đăng ký khóa học trực tuyến');
    expect(await tap('P1', 'MY_REGISTRATIONS', 5)).toContain('chưa có đăng ký nào');
    expect(await tap('P1', 'SUBSCRIBE', 6)).toContain('Anh/chị có muốn nhận thông báo');
    expect(await tap('P1', 'FAQ', 7)).toContain('anh/chị chọn một câu hỏi thường gặp:');
    expect(await tap('P1', 'EVENTS', 8)).toContain('Lễ khai mạc');
    expect(await tap('P1', 'LANG:en', 9)).toMatch(/^Switched to English\./);
    // The English menu's language item switches back, whatever the current language.
    expect(await tap('P1', 'LANG:vi', 10)).toMatch(/^Đã chuyển sang tiếng Việt\./);
    expect(await tap('P1', 'LANG:vi', 11)).toMatch(/^Đã chuyển sang tiếng Việt\./);
  });
});
