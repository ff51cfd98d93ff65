import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  Person,
  startPlatform,
  texts,
  type Platform,
  type PlatformId,
} from '../helpers/platforms.js';
import { BEFORE_WEEK } from '../registration/helpers.js';
import { csvRecords } from '../helpers/csv.js';

const TOKEN = 'e2e-admin-token-0123456789';
const SESSION = 'internet-an-toan-hs-ph-0210';

// One person per platform registers for a safe-internet session entirely through signed
// webhooks (button taps and typed numbers), the bot's questions arriving at the platform's fake
// API over real HTTP; the registration is exported, survives a restart, is cancelled, then erased.
describe.each<[PlatformId, string]>([
  ['messenger', '0912000001'],
  ['viber', '0912000002'],
  ['zalo', '0912000003'],
])('registration end to end on %s', (id, phone) => {
  let platform: Platform;
  let t: TestApp | undefined;
  let base = '';
  const clock = new ManualClock(BEFORE_WEEK);

  afterEach(async () => {
    await t?.close();
    await platform?.close();
  });

  async function start(config?: TestApp['config']): Promise<void> {
    t = await startTestApp({
      clock,
      ...(config ? { config } : { env: { ...platform.env, ADMIN_TOKEN: TOKEN } }),
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  }

  async function exported(): Promise<Array<Record<string, string>>> {
    const res = await fetch(`${base}/api/v1/registrations?format=csv&channel=${id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // res.text() would drop the byte-order mark Excel needs: read the bytes as they came.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith('\uFEFF')).toBe(true);
    return csvRecords(text.slice(1));
  }

  it('registers, is exported, survives a restart, is cancelled and erased', async () => {
    platform = await startPlatform(id);
    await start();
    const person = new Person(platform, `${id}-person-1`, {
      base: () => base,
      idle: () => t!.services.inbox.idle(),
      clock,
    });

    expect(texts(await person.type('đăng ký'))).toContain('Anh/chị muốn đăng ký loại nào?');
    expect(texts(await person.tap('REG_KIND:safe-internet'))).toContain(
      '1. Sử dụng Internet an toàn cho học sinh và phụ huynh (khoá học minh hoạ)',
    );
    expect(texts(await person.type('1'))).toContain('1. 02/10 08:00 · Hà Nội · còn 40 chỗ');
    expect(texts(await person.type('1'))).toContain('Họ và tên đầy đủ');
    expect(texts(await person.type('Nguyễn Thị Ánh'))).toContain('Số điện thoại');
    expect(texts(await person.type(phone))).toContain('tỉnh/thành phố nào');
    expect(texts(await person.type('Nghệ An'))).toContain('Anh/chị đăng ký với tư cách là');
    expect(texts(await person.tap('REG_AUD:parent'))).toContain('Anh/chị có đồng ý không?');
    expect(texts(await person.tap('YES'))).toContain('• Họ tên: Nguyễn Thị Ánh');
    const done = texts(await person.type('1'));
    const code = /Mã đăng ký của anh\/chị: ([A-Z0-9]{6})/.exec(done)?.[1];
    expect(code, done).toBeDefined();

    const row = {
      code: code!,
      status: 'confirmed',
      session_id: SESSION,
      channel: id,
      full_name: 'Nguyễn Thị Ánh',
      phone: `+84${phone.slice(1)}`,
      province: 'Nghệ An',
      audience: 'parent',
    };
    expect(await exported()).toEqual([expect.objectContaining(row)]);

    // A restart: everything closed, then opened again on the same data folder.
    const config = t!.config;
    await t!.close();
    t = undefined;
    await start(config);
    expect(await exported()).toEqual([expect.objectContaining(row)]);

    const mine = await person.type('Đăng ký của tôi');
    expect(texts(mine)).toContain(`Mã ${code} · Đã xác nhận`);
    expect(mine.at(-1)?.payloads[0]).toBe(`REG_CANCEL:${code}`);
    expect(texts(await person.type('1'))).toContain(`Hủy đăng ký ${code}`);
    expect(texts(await person.type('có'))).toContain(`Đã hủy đăng ký ${code}`);
    expect(await exported()).toEqual([
      expect.objectContaining({ code, status: 'cancelled', full_name: '', phone: '' }),
    ]);

    expect(texts(await person.type('xóa dữ liệu'))).toContain('Xóa toàn bộ dữ liệu của anh/chị?');
    expect(texts(await person.type('có'))).toContain(
      'Đã xóa toàn bộ dữ liệu của anh/chị (1 đăng ký)',
    );
    expect(await exported()).toEqual([]);
    expect(await t!.services.contacts.get(id, person.userId)).toBeUndefined();
  });
});
