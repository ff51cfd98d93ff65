import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { api, TOKEN } from './helpers.js';

describe('announcement subscriptions (simulator)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: { ADMIN_TOKEN: TOKEN, BROADCAST_QUIET_HOURS: 'off' } });
  });
  afterEach(async () => {
    await t.close();
  });

  const contact = (userId: string) => t.services.contacts.get('simulator', userId);

  async function announce(text: string): Promise<void> {
    const res = await api(t.app, 'POST', '/broadcasts', { message: { vi: text }, segment: {} });
    expect(res.status).toBe(201);
    await t.services.broadcasts.engine.tick();
  }

  it('offers topics from the menu; only a tap is consent; announcements then arrive', async () => {
    const menu = await simulate(t.app, { userId: 's1', text: 'menu' });
    expect(menu[0]!.text).toContain('Nhận thông báo');
    const offer = await simulate(t.app, { userId: 's1', payload: 'SUBSCRIBE' });
    expect(offer[0]!.text).toContain('Anh/chị có muốn nhận thông báo');
    expect(offer[0]!.choices?.map((c) => c.payload)).toEqual([
      'SUBSCRIBE:events',
      'SUBSCRIBE:courses',
      'SUBSCRIBE:all',
      'SUBSCRIBE:NO',
    ]);
    expect(await contact('s1')).toMatchObject({ optedIn: false });
    await announce('Trước khi đăng ký');
    expect(t.services.simulator!.take('s1')).toEqual([]);

    const done = await simulate(t.app, { userId: 's1', text: '2' });
    expect(done[0]!.text).toBe(
      'Đã bật thông báo về: khóa học mới. Anh/chị gõ “dừng” hoặc “hủy nhận tin” bất cứ lúc nào để ngừng nhận.',
    );
    expect(await contact('s1')).toMatchObject({ optedIn: true, topics: ['courses'] });
    const audit = await t.services.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      // Organisers' actions share the log (actor "admin:<name>").
      .where('actor', 'not like', 'admin:%')
      .execute();
    expect(audit).toEqual([
      { action: 'subscription.opt_in', detail: '{"channel":"simulator","topics":["courses"]}' },
    ]);

    await announce('Khai giảng khóa học mới');
    expect(t.services.simulator!.take('s1').map((r) => r.text)).toEqual([
      'Khai giảng khóa học mới',
    ]);
    // A broadcast about events only does not reach a courses subscriber.
    await api(t.app, 'POST', '/broadcasts', {
      message: { vi: 'Lễ khai mạc' },
      segment: { topics: ['events'] },
    });
    await t.services.broadcasts.engine.tick();
    expect(t.services.simulator!.take('s1')).toEqual([]);
  });

  it('"no thanks" records nothing', async () => {
    const reply = await simulate(t.app, { userId: 's2', payload: 'SUBSCRIBE:NO' });
    expect(reply[0]!.text).toContain('sẽ không gửi thông báo');
    expect(await contact('s2')).toMatchObject({ optedIn: false });
  });

  it.each([
    'dừng',
    'Dừng lại!',
    'STOP',
    'hủy nhận tin',
    'Huy nhan tin',
    'unsubscribe',
    'tắt thông báo',
  ])('%j turns announcements off, and no more arrive', async (word) => {
    const on = await simulate(t.app, { userId: 's3', text: 'bật thông báo' });
    expect(on[0]!.text).toContain('Đã bật thông báo về: tất cả các chủ đề.');
    expect(await contact('s3')).toMatchObject({ optedIn: true, topics: ['all'] });
    const off = await simulate(t.app, { userId: 's3', text: word });
    expect(off[0]!.text).toBe(
      'Đã tắt thông báo: anh/chị sẽ không nhận tin của Ban tổ chức nữa. Anh/chị gõ “bật thông báo” nếu muốn nhận lại.',
    );
    expect(await contact('s3')).toMatchObject({ optedIn: false });
    await announce('Không được gửi');
    expect(t.services.simulator!.take('s3')).toEqual([]);
  });

  it('"subscribe" in English answers in English', async () => {
    await simulate(t.app, { userId: 's4', text: 'English' });
    const on = await simulate(t.app, { userId: 's4', text: 'Subscribe' });
    expect(on[0]!.text).toBe(
      'Announcements are on for: all topics. Type “stop” or “unsubscribe” at any time to stop them.',
    );
  });

  it.each(['đúng', 'dung', 'hủy'])('%j does not turn announcements off', async (word) => {
    await simulate(t.app, { userId: 's5', text: 'subscribe' });
    const reply = await simulate(t.app, { userId: 's5', text: word });
    expect(reply[0]!.text).not.toContain('Đã tắt thông báo');
    expect(await contact('s5')).toMatchObject({ optedIn: true });
  });

  it('stopping when not subscribed says so', async () => {
    const reply = await simulate(t.app, { userId: 's6', text: 'stop' });
    expect(reply[0]!.text).toContain('Anh/chị chưa đăng ký nhận thông báo');
  });
});
