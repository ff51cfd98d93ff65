import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { adminCall } from '../helpers/admin-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  Person,
  startPlatform,
  texts,
  type Platform,
  type PlatformId,
} from '../helpers/platforms.js';

const TOKEN = 'e2e-admin-token-0123456789';

// A nomination made through signed webhooks on each platform reaches the organisers' API and is
// reviewed there; a place to read is found from a name typed without diacritics.
describe.each<PlatformId>(['messenger', 'viber', 'zalo'])('nomination end to end on %s', (id) => {
  let platform: Platform | undefined;
  let t: TestApp | undefined;
  const clock = new ManualClock(Date.parse('2020-10-02T09:00:00+07:00'));

  afterEach(async () => {
    await t?.close();
    await platform?.close();
  });

  it('nominates, is listed and reviewed by the organisers; finds a place to read', async () => {
    platform = await startPlatform(id);
    t = await startTestApp({ clock, env: { ...platform.env, ADMIN_TOKEN: TOKEN } });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const person = new Person(platform, `${id}-nominator`, {
      base: () => base,
      idle: () => t!.services.inbox.idle(),
      clock,
    });
    expect(texts(await person.type('đề cử'))).toContain('Họ và tên của người');
    expect(texts(await person.type('qwrt zxcv'))).toContain('chưa phải họ tên người');
    await person.type('Lê Thị Mai');
    await person.type('Phường Bến Thành');
    await person.type('Hồ Chí Minh');
    await person.type('Cô Mai tự học tiếng Anh qua ứng dụng trên điện thoại mỗi sáng.');
    expect(texts(await person.type('mai@example.vn'))).toContain('đã đồng ý');
    expect(texts(await person.tap('YES'))).toContain('91/2025/QH15');
    expect(texts(await person.tap('YES'))).toContain('• Người được đề cử: Lê Thị Mai');
    expect(texts(await person.tap('YES'))).toMatch(/Đề cử số \d+ đã được gửi/);

    const list = await adminCall<{ items: Array<{ id: number; channel: string }> }>(
      base,
      TOKEN,
      'GET',
      '/nominations',
    );
    expect(list.items).toEqual([
      expect.objectContaining({ channel: id, nomineeName: 'Lê Thị Mai' }),
    ]);
    const reviewed = await adminCall<{ status: string }>(
      base,
      TOKEN,
      'POST',
      `/nominations/${list.items[0]!.id}/review`,
      { decision: 'accept' },
    );
    expect(reviewed.status).toBe('accepted');

    expect(texts(await person.type('thu vien o ben thanh'))).toContain(
      'Nơi đọc sách ở Phường Bến Thành, Hồ Chí Minh:',
    );
  });
});
