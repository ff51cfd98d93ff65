import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { csvCell } from '../../src/registration/csv.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK, contentDir, registerUpTo } from './helpers.js';
import { parseCsv } from '../helpers/csv.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const DAY = 24 * 3600_000;

describe('admin API: registrations and courses', () => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CONTENT_DIR: contentDir(), ADMIN_TOKEN: TOKEN } });
    await registerUpTo(t, 'adm-1', 'solo-0210', {
      name: 'Nguyễn Thị Ánh Dương',
      phone: '0912000001',
      province: 'Hà Tĩnh',
    });
    clock.advance(DAY);
    await registerUpTo(t, 'adm-2', 'pair-0310', {
      name: "Đặng O'Brien Hà",
      phone: '0912000002',
      province: 'Quảng Nam',
    });
    await registerUpTo(t, 'adm-3', 'pair-0310', {
      name: 'Lý Văn Ba',
      phone: '0912000003',
      province: 'tp hcm',
    });
    clock.advance(DAY);
    // Full: the next one waits.
    await t.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { userId: 'adm-4', payload: 'REGISTER:pair-0310' },
    });
    for (const text of ['có', 'Mai Thị Bốn', '0912000004', 'Cần Thơ', 'đồng ý', 'có'])
      await t.app.inject({
        method: 'POST',
        url: '/simulator/api/messages',
        payload: { userId: 'adm-4', text },
      });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = auth) =>
    t.app.inject({ method: 'GET', url, headers });

  it('requires the admin token', async () => {
    expect((await get('/api/v1/registrations', {})).statusCode).toBe(401);
    expect(
      (await get('/api/v1/courses', { authorization: 'Bearer wrong-token-wrong-token' }))
        .statusCode,
    ).toBe(401);
  });

  it('lists registrations with filters and pages', async () => {
    const res = await get('/api/v1/registrations');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 50, total: 4 });
    expect(body.items[0]).toEqual({
      code: expect.stringMatching(/^[A-Z0-9]{6}$/),
      status: 'confirmed',
      courseId: 'solo',
      courseTitle: 'Internet an toàn, hiệu quả cho phụ huynh',
      sessionId: 'solo-0210',
      sessionStart: '2020-10-02T08:00:00+07:00',
      channel: 'simulator',
      fullName: 'Nguyễn Thị Ánh Dương',
      phone: '+84912000001',
      provinceId: 'ha-tinh',
      province: 'Hà Tĩnh',
      audience: 'parent',
      registeredAt: '2020-09-25T10:00:00+07:00',
      confirmedAt: '2020-09-25T10:00:00+07:00',
      cancelledAt: null,
    });
    const names = async (query: string) =>
      (await get(`/api/v1/registrations?${query}`))
        .json()
        .items.map((i: { fullName: string }) => i.fullName);
    expect(await names('course=pair')).toEqual(["Đặng O'Brien Hà", 'Lý Văn Ba', 'Mai Thị Bốn']);
    expect(await names('session=solo-0210')).toEqual(['Nguyễn Thị Ánh Dương']);
    expect(await names('province=da-nang')).toEqual(["Đặng O'Brien Hà"]);
    expect(await names(`province=${encodeURIComponent('Hồ Chí Minh')}`)).toEqual(['Lý Văn Ba']);
    expect(await names('audience=parent')).toEqual(['Nguyễn Thị Ánh Dương']);
    expect(await names('status=waitlisted')).toEqual(['Mai Thị Bốn']);
    expect(await names('channel=zalo')).toEqual([]);
    expect(await names('from=2020-09-26&to=2020-09-26')).toEqual(["Đặng O'Brien Hà", 'Lý Văn Ba']);
    expect(await names('from=2020-09-27')).toEqual(['Mai Thị Bốn']);
    const page2 = (await get('/api/v1/registrations?pageSize=3&page=2')).json();
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(page2.items.map((i: { fullName: string }) => i.fullName)).toEqual(['Mai Thị Bốn']);
  });

  it.each([
    ['pageSize=0', /pageSize/],
    ['page=abc', /page/],
    ['from=01-10-2020', /from: must be a date like 2020-10-01/],
    ['from=2020-10-05&to=2020-10-01', /from must not be after to/],
    ['province=Atlantis', /not one of the 34 provincial-level units/],
    ['audience=retiree', /audience/],
    ['format=pdf', /format/],
    ['sort=name', /Unknown query parameter sort/],
  ])('answers 400 with a clear message for %s', async (query, message) => {
    const res = await get(`/api/v1/registrations?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });

  it('exports CSV with a BOM that reads back with Vietnamese intact', async () => {
    const res = await get('/api/v1/registrations?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('registrations.csv');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text).toContain('"Internet an toàn, hiệu quả cho phụ huynh"');
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'code',
      'status',
      'course_id',
      'course_title',
      'session_id',
      'session_start',
      'channel',
      'full_name',
      'phone',
      'province_id',
      'province',
      'audience',
      'registered_at',
      'confirmed_at',
      'cancelled_at',
    ]);
    expect(rows).toHaveLength(5);
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r[7], r]));
    expect(Object.keys(byName)).toEqual([
      'Nguyễn Thị Ánh Dương',
      "Đặng O'Brien Hà",
      'Lý Văn Ba',
      'Mai Thị Bốn',
    ]);
    expect(byName['Nguyễn Thị Ánh Dương']!.slice(3, 12)).toEqual([
      'Internet an toàn, hiệu quả cho phụ huynh',
      'solo-0210',
      '2020-10-02T08:00:00+07:00',
      'simulator',
      'Nguyễn Thị Ánh Dương',
      '+84912000001',
      'ha-tinh',
      'Hà Tĩnh',
      'parent',
    ]);
    expect(byName['Mai Thị Bốn']![1]).toBe('waitlisted');
    expect(byName['Mai Thị Bốn']![13]).toBe('');
    // Same rows as the JSON listing.
    const json = (await get('/api/v1/registrations')).json();
    expect(rows.slice(1).map((r) => r[0])).toEqual(json.items.map((i: { code: string }) => i.code));
    const filtered = parseCsv(
      (await get('/api/v1/registrations?format=csv&province=can-tho')).body.slice(1),
    );
    expect(filtered.slice(1).map((r) => r[7])).toEqual(['Mai Thị Bốn']);
  });

  it('quotes CSV cells and neutralises formulas', () => {
    expect(csvCell('Hà Nội, Việt Nam')).toBe('"Hà Nội, Việt Nam"');
    expect(csvCell('nói "xin chào"')).toBe('"nói ""xin chào"""');
    expect(csvCell('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+84912345678')).toBe('+84912345678');
    expect(csvCell(null)).toBe('');
  });

  it('lists courses with seats taken, left and waitlist', async () => {
    const res = await get('/api/v1/courses');
    expect(res.statusCode).toBe(200);
    const sessions = Object.fromEntries(
      res
        .json()
        .courses.flatMap((c: { sessions: Array<{ id: string }> }) =>
          c.sessions.map((s) => [s.id, s]),
        ),
    );
    expect(sessions['solo-0210']).toMatchObject({
      capacity: 1,
      taken: 1,
      left: 0,
      waitlist: 0,
      open: true,
      province: 'nghe-an',
    });
    expect(sessions['pair-0310']).toMatchObject({
      capacity: 2,
      taken: 2,
      left: 0,
      waitlist: 1,
      open: true,
    });
    const stats = (await get('/api/v1/registrations/stats')).json();
    expect(stats.counters).toMatchObject({
      'confirmed:total': 3,
      'waitlisted:total': 1,
      'confirmed:province:da-nang': 1,
    });
  });
});
