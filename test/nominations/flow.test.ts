import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';

const TOKEN = 'nominations-admin-token-0123';
type Reply = Awaited<ReturnType<typeof simulate>>[number];
const all = (replies: Reply[]) => replies.map((r) => r.text).join('\n---\n');

describe('nominations of self-learners, end to end to the admin API', () => {
  let t: TestApp;
  let base = '';
  beforeEach(async () => {
    t = await startTestApp({
      clock: new ManualClock(Date.parse('2020-10-03T10:00:00+07:00')),
      env: { ADMIN_TOKEN: TOKEN },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await t.close();
  });
  const say = (userId: string, text: string) => simulate(t.app, { userId, text });
  const api = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const stored = async () => ({
    nominations: await t.services.store.db.selectFrom('nominations').selectAll().execute(),
    consents: await t.services.store.db.selectFrom('consents').selectAll().execute(),
  });

  /** Answers up to the nominee's agreement. */
  async function upToAgreement(userId: string): Promise<void> {
    expect(all(await say(userId, 'tôi muốn đề cử'))).toContain('Họ và tên của người');
    await say(userId, 'Nguyễn Thị Hoa');
    await say(userId, 'Xã Nghi Lộc');
    await say(userId, 'nghe an');
    await say(userId, 'Bà Hoa tự học dùng điện thoại thông minh để bán hàng trực tuyến.');
    expect(all(await say(userId, 'hoa@example.vn'))).toContain('đã đồng ý');
  }

  it('collects, checks, records with consent, and organisers review it', async () => {
    expect(all(await say('n1', 'đề cử'))).toContain('Họ và tên của người anh/chị muốn đề cử');
    expect(all(await say('n1', 'asdf qwer'))).toContain('có vẻ chưa phải họ tên người');
    expect(all(await say('n1', 'Trần Văn Bình'))).toContain('xã/phường nào');
    expect(all(await say('n1', 'Phường Bến Thành'))).toContain('tỉnh/thành phố nào');
    expect(all(await say('n1', 'tp ho chi minh'))).toContain('tự học điều gì');
    const story = 'Ông Bình tự học lập trình qua các khoá học trực tuyến miễn phí mỗi tối. '.repeat(
      70,
    );
    expect(story.length).toBeGreaterThan(5000);
    const cut = all(await say('n1', story));
    expect(cut).toContain('Câu chuyện dài hơn 1500 ký tự nên tôi chỉ giữ phần đầu');
    expect(cut).toContain('Số điện thoại hoặc địa chỉ thư điện tử');
    expect(all(await say('n1', 'gọi cho tôi'))).toContain('số điện thoại di động');
    expect(all(await say('n1', '0912 345 678'))).toContain('đã đồng ý để anh/chị giới thiệu');
    expect(all(await say('n1', '1'))).toContain('Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15');
    const summary = all(await say('n1', 'đồng ý'));
    expect(summary).toContain('• Người được đề cử: Trần Văn Bình');
    expect(summary).toContain('• Nơi ở: Phường Bến Thành, Hồ Chí Minh');
    expect(summary).toContain('• Liên hệ: 0912 345 678');
    expect(all(await say('n1', 'có'))).toMatch(/Đề cử số \d+ đã được gửi/);

    expect((await api('GET', '/nominations', undefined, null)).status).toBe(401);
    const list = await (
      await api('GET', '/nominations?status=pending&province=Hồ Chí Minh')
    ).json();
    expect(list.total).toBe(1);
    const item = list.items[0];
    expect(item).toEqual(
      expect.objectContaining({
        status: 'pending',
        nomineeName: 'Trần Văn Bình',
        commune: 'Phường Bến Thành',
        provinceId: 'ho-chi-minh',
        contact: '+84912345678',
        channel: 'simulator',
        nomineeAgreed: true,
      }),
    );
    expect([...item.story].length).toBeLessThanOrEqual(1500);
    const { consents } = await stored();
    expect(consents).toEqual([
      expect.objectContaining({ purpose: 'self-learner-nomination', action: 'given' }),
    ]);

    const review = await api('POST', `/nominations/${item.id}/review`, {
      decision: 'commend',
      note: 'Tấm gương tiêu biểu',
    });
    expect(review.status).toBe(200);
    expect(await review.json()).toEqual(
      expect.objectContaining({ status: 'commended', reviewNote: 'Tấm gương tiêu biểu' }),
    );
    const bad = await api('POST', `/nominations/${item.id}/review`, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/decision/);
    expect((await api('POST', '/nominations/99999/review', { decision: 'accept' })).status).toBe(
      404,
    );
    expect((await api('GET', '/nominations?status=lost')).status).toBe(400);
    expect((await (await api('GET', '/nominations?status=commended')).json()).total).toBe(1);

    // The nominator sees it in "my data", and "xóa dữ liệu" erases it with its consent.
    expect(all(await say('n1', 'dữ liệu của tôi'))).toContain(
      'Đề cử gương tự học anh/chị đã gửi: 1',
    );
    await say('n1', 'xóa dữ liệu');
    await say('n1', 'có');
    expect(await stored()).toEqual({ nominations: [], consents: [] });
  });

  it('stores nothing without the nominee’s agreement or the nominator’s consent', async () => {
    await upToAgreement('n2');
    expect(all(await say('n2', 'chưa'))).toContain('hỏi ý kiến người đó trước');
    await upToAgreement('n3');
    await say('n3', 'có');
    expect(all(await say('n3', 'không đồng ý'))).toContain('không có gì được lưu');
    expect(await stored()).toEqual({ nominations: [], consents: [] });
  });

  it('an organiser erases a nominee’s nomination on request', async () => {
    await upToAgreement('n4');
    await say('n4', 'có');
    await say('n4', 'có');
    await say('n4', 'có');
    const { items } = await (await api('GET', '/nominations')).json();
    expect(items).toHaveLength(1);
    expect((await api('DELETE', `/nominations/${items[0].id}`)).status).toBe(204);
    expect((await api('DELETE', `/nominations/${items[0].id}`)).status).toBe(404);
    expect((await stored()).nominations).toEqual([]);
  });
});
