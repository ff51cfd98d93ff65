import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import type { Role } from '../../src/dashboard/roles.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { Visitor } from '../helpers/visitor.js';

const OWNER = 'owner-token-for-page-tests';
const START = Date.UTC(2026, 9, 1, 3);

describe('dashboard pages: sign-in, sessions, CSRF, roles, forms', () => {
  let t: TestApp;
  let clock: ManualClock;
  const tokens: Partial<Record<Role, string>> = {};

  const signIn = async (token: string) => {
    const v = new Visitor(t);
    await v.get('/admin/login');
    const res = await v.post('/admin/login', { token, next: '/admin' });
    expect(res.statusCode).toBe(303);
    return v;
  };

  beforeEach(async () => {
    clock = new ManualClock(START);
    t = await startTestApp({
      clock,
      channels: [new FakeChannel('zalo')],
      env: { ADMIN_TOKEN: OWNER, ADMIN_SESSION_MINUTES: '30', BROADCAST_APPROVAL: 'on' },
    });
    await seedContacts(t.services.store, [{ channel: 'zalo', userId: 'z1' }], START);
    const { accounts } = await dashboardContext(t.app, t.services);
    const owner = (await accounts.verify(OWNER))!;
    for (const role of ['viewer', 'sender', 'approver', 'editor'] as const) {
      const r = await accounts.createToken(`${role} A`, role, owner);
      if (r.ok) tokens[role] = r.token;
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('sends a signed-out visitor to the sign-in form, in Vietnamese, with security headers', async () => {
    const v = new Visitor(t);
    const res = await v.get('/admin/registrations');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Fregistrations');
    const login = await v.get('/admin/login');
    expect(login.body).toContain('lang="vi"');
    expect(login.body).toContain('name="token"');
    expect(String(login.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('signs in with an HttpOnly SameSite=Strict cookie, signs out, and the old cookie no longer works', async () => {
    const v = new Visitor(t);
    await v.get('/admin/login');
    const res = await v.post('/admin/login', { token: OWNER, next: '/admin/questions' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/questions');
    const cookie = [res.headers['set-cookie']]
      .flat()
      .find((c) => String(c).startsWith('llw_admin_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await v.get('/admin')).statusCode).toBe(200);
    const saved = new Map(v.cookies);
    expect((await v.post('/admin/logout', {})).headers.location).toBe('/admin/login?out=1');
    const replay = new Visitor(t);
    for (const [k, val] of saved) replay.cookies.set(k, val);
    expect((await replay.get('/admin')).statusCode).toBe(303);
  });

  it('refuses a wrong token with 401 and a message next to the field, and an empty one with 400', async () => {
    const v = new Visitor(t);
    await v.get('/admin/login');
    const wrong = await v.post('/admin/login', { token: 'this-is-not-a-token' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('id="err-token"');
    expect(wrong.body).toContain('Mã truy cập không đúng hoặc đã bị thu hồi.');
    const empty = await v.post('/admin/login', { token: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Vui lòng nhập mã truy cập.');
  });

  it('refuses a form without a valid CSRF token with a clear message, changing nothing', async () => {
    const v = await signIn(tokens.sender!);
    await v.get('/admin/broadcasts/new');
    const res = await v.post('/admin/broadcasts', { text_vi: 'Xin chào' }, 'stale-token');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Biểu mẫu đã cũ hoặc không hợp lệ');
    expect(await t.services.broadcasts.list()).toHaveLength(0);
    const login = new Visitor(t);
    expect((await login.post('/admin/login', { token: OWNER })).statusCode).toBe(403);
  });

  it('ends an expired session with a message on the sign-in page', async () => {
    const v = await signIn(tokens.viewer!);
    expect((await v.get('/admin')).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const res = await v.get('/admin/broadcasts');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('expired=1');
    expect((await v.get(res.headers.location!)).body).toContain('Phiên làm việc đã hết hạn');
  });

  it('shows each role only what it may do, and answers 403 with a page otherwise', async () => {
    const viewer = await signIn(tokens.viewer!);
    const home = await viewer.get('/admin');
    expect(home.body).not.toContain('href="/admin/tokens"');
    expect((await viewer.get('/admin/broadcasts/new')).statusCode).toBe(403);
    expect((await viewer.get('/admin/registrations/export.csv')).statusCode).toBe(403);
    expect((await viewer.get('/admin/tokens')).statusCode).toBe(403);
    const forbidden = await viewer.get('/admin/tokens');
    expect(forbidden.body).toContain('không có quyền');
    const editor = await signIn(tokens.editor!);
    const csv = await editor.get('/admin/registrations/export.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['cache-control']).toBe('no-store');
  });

  it('validates the compose form on the server, with Vietnamese messages next to each field', async () => {
    const v = await signIn(tokens.sender!);
    await v.get('/admin/broadcasts/new');
    const res = await v.post('/admin/broadcasts', { text_vi: '', scheduleAt: '2020-01-01T08:00' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="err-text_vi"');
    expect(res.body).toContain('Vui lòng nhập nội dung tiếng Việt');
    // Topics are labelled in the organiser's language, not shown as their keys.
    expect(res.body).toMatch(/value="events"\s*\/>\s*Sự kiện<\/label/);
    expect(res.body).toMatch(/value="courses"\s*\/>\s*Khóa học<\/label/);
    const past = await v.post('/admin/broadcasts', {
      text_vi: 'Xin chào',
      scheduleAt: '2020-01-01T08:00',
    });
    expect(past.body).toContain('id="err-scheduleAt"');
    const badCourse = await v.post('/admin/broadcasts', {
      text_vi: 'Xin chào',
      course: 'khong-co',
    });
    expect(badCourse.statusCode).toBe(400);
    expect(badCourse.body).toContain('id="err-segment"');
    expect(await t.services.broadcasts.list()).toHaveLength(0);
  });

  it('a sender cannot approve their own announcement; the approver can, and a second click sends nothing more', async () => {
    const sender = await signIn(tokens.sender!);
    await sender.get('/admin/broadcasts/new');
    const created = await sender.post('/admin/broadcasts', {
      text_vi: 'Khai mạc lúc 8 giờ',
      channels: 'zalo',
    });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location!;
    const page = await sender.get(url);
    expect(page.body).not.toContain('id="approve-button"');
    expect(page.body).toContain('cần một người khác');
    const id = url.split('/').pop()!;
    expect((await sender.post(`/admin/broadcasts/${id}/approve`, {})).statusCode).toBe(403);
    expect((await sender.post(`/admin/broadcasts/${id}/send`, {})).headers.location).toContain(
      'notice=approval',
    );

    const approver = await signIn(tokens.approver!);
    await approver.get(url);
    const csrf = approver.csrf();
    const first = await approver.post(`/admin/broadcasts/${id}/approve`, {}, csrf);
    const second = await approver.post(`/admin/broadcasts/${id}/approve`, {}, csrf);
    expect(first.headers.location).toContain('notice=sent');
    expect(second.headers.location).toContain('notice=approved');
    expect((await t.services.broadcasts.report(Number(id)))!.status).toBe('scheduled');
    const audit = await approver.get('/admin/audit');
    expect(audit.body).toContain('broadcast.approve');
    expect(audit.body).toContain('approver A');
  });

  it('names every stored delivery reason in Vietnamese, a platform message kept as it is', async () => {
    const sender = await signIn(tokens.sender!);
    await sender.get('/admin/broadcasts/new');
    const created = await sender.post('/admin/broadcasts', {
      text_vi: 'Xin chào',
      channels: 'zalo',
    });
    const id = Number(created.headers.location!.split('/').pop());
    const rows = [
      ['z1', 'skipped', 'cancelled'],
      ['z2', 'failed', 'unreachable'],
      ['z3', 'failed', 'rate-limited:window-closed'],
      ['z4', 'failed', 'platform-failed: user blocked OA'],
    ] as const;
    await t.services.store.db
      .insertInto('deliveries')
      .values(
        rows.map(([userId, status, reason]) => ({
          broadcast_id: id,
          contact_id: null,
          channel: 'zalo',
          user_id: userId,
          locale: 'vi',
          status,
          reason,
          next_attempt_at: START,
          created_at: START,
          updated_at: START,
        })),
      )
      .execute();
    const page = await sender.get(`/admin/broadcasts/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('thông báo đã bị hủy');
    expect(page.body).toContain('người dùng đã chặn hoặc rời khỏi kênh');
    expect(page.body).toContain(
      'nền tảng yêu cầu gửi chậm lại: đã hết thời gian được phép gửi lại',
    );
    expect(page.body).toContain('nền tảng báo không gửi được: user blocked OA');
  });

  it('changes the seats of a session with the catalogue validation, effective at once, and refuses a stale edit', async () => {
    const session = t.services.content.courses.courses[0]!.sessions[0]!;
    const before = session.capacity;
    const viewer = await signIn(tokens.viewer!);
    await viewer.get('/admin/content');
    expect(
      (
        await viewer.post(`/admin/content/sessions/${session.id}`, {
          capacity: '5',
          expected: String(before),
        })
      ).statusCode,
    ).toBe(403);
    const editor = await signIn(tokens.editor!);
    const page = await editor.get('/admin/content');
    expect(page.body).toContain(`action="/admin/content/sessions/${session.id}"`);
    expect((await viewer.get('/admin/content')).body).not.toContain('/admin/content/sessions/');
    const csrf = editor.csrf();
    const bad = await editor.post(
      `/admin/content/sessions/${session.id}`,
      { capacity: '0', expected: String(before) },
      csrf,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Số chỗ phải là số nguyên từ 1 đến 100.000.');
    expect(bad.body).toContain('class="field-error"');
    const ok = await editor.post(
      `/admin/content/sessions/${session.id}`,
      { capacity: '7', expected: String(before) },
      csrf,
    );
    expect(ok.statusCode).toBe(303);
    expect(t.services.registration.capacityOf(session.id)).toBe(7);
    const stale = await editor.post(
      `/admin/content/sessions/${session.id}`,
      { capacity: '9', expected: String(before) },
      csrf,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('vừa được người khác đổi thành 7');
    expect(t.services.registration.capacityOf(session.id)).toBe(7);
  });

  const EVENT = {
    title_vi: 'Ngày hội đọc sách',
    title_en: 'Reading festival',
    date: '2026-10-01',
    time: '14:00',
    endTime: '16:30',
    place_vi: 'Thư viện tỉnh',
    place_en: 'Provincial library',
    description_vi: 'Giao lưu đọc sách cùng gia đình.',
    description_en: 'Reading together with families.',
  };
  const today = async () =>
    (await simulate(t.app, { userId: 'asks-events', payload: 'EVENTS:TODAY' }))
      .map((r) => r.text)
      .join('\n');

  it('an editor adds and changes an event with the start-up validation, and the bot tells it at once; a viewer cannot', async () => {
    const viewer = await signIn(tokens.viewer!);
    const list = await viewer.get('/admin/content');
    expect(list.body).not.toContain('/admin/content/events/new');
    expect(list.body).not.toContain('id="contacts-form"');
    expect((await viewer.get('/admin/content/events/new')).statusCode).toBe(403);
    expect(
      (await viewer.post('/admin/content/events/new', { ...EVENT, version: '0' })).statusCode,
    ).toBe(403);
    expect(t.services.content.events).toHaveLength(0);

    const editor = await signIn(tokens.editor!);
    await editor.get('/admin/content/events/new');
    const csrf = editor.csrf();
    const bad = await editor.post(
      '/admin/content/events/new',
      {
        ...EVENT,
        date: '1/10/2026',
        endTime: '13:00',
        onlineUrl: 'zoom',
        place_en: '',
        version: '0',
      },
      csrf,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Chưa lưu được');
    expect(bad.body).toMatch(/id="err-date">Ngày phải có dạng năm-tháng-ngày/);
    expect(bad.body).toMatch(/id="err-onlineUrl">Đường dẫn phải đầy đủ/);
    expect(bad.body).toMatch(/id="err-place_en">Vui lòng nhập cả tiếng Việt và tiếng Anh/);
    expect(bad.body).toContain('value="Ngày hội đọc sách"');
    const order = await editor.post(
      '/admin/content/events/new',
      { ...EVENT, endTime: '13:00', version: '0' },
      csrf,
    );
    expect(order.body).toMatch(/id="err-endTime">Giờ kết thúc phải sau giờ bắt đầu/);
    const sample = await editor.post(
      '/admin/content/events/new',
      { ...EVENT, title_vi: 'Sự kiện mẫu: ngày hội', version: '0' },
      csrf,
    );
    expect(sample.statusCode).toBe(400);
    expect(sample.body).toMatch(/id="err-title_vi">Nội dung này còn giống chữ mẫu/);
    expect(t.services.content.events).toHaveLength(0);
    expect(await today()).not.toContain('Ngày hội đọc sách');

    const created = await editor.post(
      '/admin/content/events/new',
      { ...EVENT, audience: 'parents', version: '0' },
      csrf,
    );
    expect(created.statusCode).toBe(303);
    const id = t.services.content.events[0]!.id;
    expect(id).toBe('2026-10-01-reading-festival');
    expect(created.headers.location).toBe(`/admin/content?event=${id}#events`);
    expect((await editor.get(created.headers.location!)).body).toContain(
      'Đã lưu sự kiện &quot;Ngày hội đọc sách&quot;',
    );
    expect(await today()).toContain('Ngày hội đọc sách');

    const page = await editor.get(`/admin/content/events/${id}`);
    expect(page.body).toContain('value="Thư viện tỉnh"');
    expect(page.body).toMatch(/value="parents"\s+checked/);
    const changed = await editor.post(`/admin/content/events/${id}`, {
      ...EVENT,
      title_vi: 'Ngày hội đọc sách gia đình',
      time: '15:00',
      endTime: '17:00',
      version: '1',
    });
    expect(changed.statusCode).toBe(303);
    const told = await today();
    expect(told).toContain('Ngày hội đọc sách gia đình');
    expect(told).toContain('15:00');
    const history = await editor.get(`/admin/content/events/${id}`);
    expect(history.body).toMatch(/Phiên bản 2: sửa bởi editor A/);
    expect(history.body).toMatch(/Phiên bản 1: tạo mới bởi editor A/);
    const audit = await signIn(OWNER).then((o) => o.get('/admin/audit'));
    expect(audit.body).toContain('content.event.update');

    await editor.post(`/admin/content/events/${id}/remove`, { version: '2' });
    expect(t.services.content.events).toHaveLength(0);
    expect(await today()).not.toContain('Ngày hội đọc sách');
  });

  it('two organisers editing the same event: the second is told it changed meanwhile, keeps their text, and nothing is lost', async () => {
    const a = await signIn(tokens.editor!);
    await a.get('/admin/content/events/new');
    await a.post('/admin/content/events/new', { ...EVENT, version: '0' });
    const id = t.services.content.events[0]!.id;
    const b = await signIn(OWNER);
    await b.get(`/admin/content/events/${id}`);
    const bCsrf = b.csrf();
    await a.get(`/admin/content/events/${id}`);
    expect(
      (
        await a.post(`/admin/content/events/${id}`, {
          ...EVENT,
          place_vi: 'Nhà văn hóa',
          place_en: 'Culture house',
          version: '1',
        })
      ).statusCode,
    ).toBe(303);
    const late = await b.post(
      `/admin/content/events/${id}`,
      {
        ...EVENT,
        title_vi: 'Ngày hội đọc sách (đổi giờ)',
        time: '08:00',
        endTime: '10:00',
        version: '1',
      },
      bCsrf,
    );
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Mục này vừa được người khác sửa (phiên bản 2)');
    expect(late.body).toContain('value="Ngày hội đọc sách (đổi giờ)"');
    expect(late.body).toContain('name="version" value="2"');
    expect(t.services.content.events[0]!.place?.vi).toBe('Nhà văn hóa');
    expect(t.services.content.events[0]!.title.vi).toBe('Ngày hội đọc sách');
    // Saving again from the refused form is a deliberate second save over the newer version.
    const again = await b.post(`/admin/content/events/${id}`, {
      ...EVENT,
      title_vi: 'Ngày hội đọc sách (đổi giờ)',
      version: '2',
    });
    expect(again.statusCode).toBe(303);
    const history = await b.get(`/admin/content/events/${id}`);
    expect(history.body).toContain('Phiên bản 3: sửa bởi ADMIN_TOKEN');
    expect(history.body).toContain('Phiên bản 2: sửa bởi editor A');
  });

  it('an editor changes the contacts: checked like organiser.json, the bot gives them at once, kept after a restart', async () => {
    const contact = async (app = t.app) =>
      (await simulate(app, { userId: 'asks-contact', payload: 'FAQ:contact' }))
        .map((r) => r.text)
        .join('\n');
    expect(await contact()).not.toContain('0238 3844 999');
    const viewer = await signIn(tokens.viewer!);
    await viewer.get('/admin/content');
    expect(
      (await viewer.post('/admin/content/contacts', { phone: '0238 3844 999', version: '0' }))
        .statusCode,
    ).toBe(403);

    const editor = await signIn(tokens.editor!);
    await editor.get('/admin/content');
    const csrf = editor.csrf();
    const bad = await editor.post(
      '/admin/content/contacts',
      { phone: 'gọi 113', email: 'tuanle', website: 'http://sogddt.vn', version: '0' },
      csrf,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="err-phone">Số điện thoại gồm 6-20 chữ số/);
    expect(bad.body).toMatch(/id="err-email">Địa chỉ thư điện tử chưa đúng/);
    expect(bad.body).toMatch(/id="err-website">Trang thông tin phải là đường dẫn đầy đủ/);
    expect(bad.body).toContain('value="gọi 113"');
    const ok = await editor.post(
      '/admin/content/contacts',
      { phone: '0238 3844 999', email: 'tuanle@sogddt.gov.vn', version: '0' },
      csrf,
    );
    expect(ok.statusCode).toBe(303);
    const told = await contact();
    expect(told).toContain('0238 3844 999');
    expect(told).toContain('tuanle@sogddt.gov.vn');
    const stale = await editor.post(
      '/admin/content/contacts',
      { phone: '0238 0000 000', version: '0' },
      csrf,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('vừa được người khác sửa');
    expect(await contact()).toContain('0238 3844 999');
    expect((await viewer.get('/admin/content')).body).toContain('Số điện thoại: 0238 3844 999');

    const again = await startTestApp({
      config: t.config,
      clock,
      channels: [new FakeChannel('zalo')],
    });
    try {
      expect(await contact(again.app)).toContain('0238 3844 999');
    } finally {
      await again.close();
    }
  });

  it('checks the report draft form on the server: messages next to each field, nothing half-saved, a stale version refused', async () => {
    const editor = await signIn(tokens.editor!);
    const page = await editor.get('/admin/report');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="download-docx"');
    const form = { version: '0', province: 'tỉnh Nghệ An' };
    const long = 'ă'.repeat(100_001);
    const bad = await editor.post('/admin/report/draft', {
      ...form,
      'c.publicity.banners': '-3',
      'c.funding.state': '2000000000000000000',
      'note.publicity': long,
      direction: 'Kế hoạch | 2020-10-01',
    });
    expect(bad.statusCode).toBe(400);
    const error = (id: string) =>
      new RegExp(`id="err-${id}">([^<]*)<`).exec(bad.body)?.[1] ?? `(no error for ${id})`;
    expect(error('c-publicity-banners')).toContain('số nguyên từ 0 trở lên');
    expect(error('c-funding-state')).toContain('Số quá lớn');
    expect(error('note-publicity')).toBe('Tối đa 100000 ký tự (hiện có 100001).');
    expect(error('direction')).toContain('Dòng 1');
    // What was typed comes back in the form, markup escaped.
    expect(bad.body).toContain('value="tỉnh Nghệ An"');
    const draft = await t.app.inject({
      method: 'GET',
      url: '/api/v1/report/draft',
      headers: { authorization: `Bearer ${OWNER}` },
    });
    expect(draft.json<{ version: number }>().version).toBe(0);

    await editor.get('/admin/report');
    const saved = await editor.post('/admin/report/draft', {
      ...form,
      'c.publicity.banners': '120',
      strengths: '<script>alert(1)</script>',
    });
    expect(saved.statusCode).toBe(303);
    const shown = await editor.get('/admin/report?saved=1');
    expect(shown.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(shown.body).not.toContain('<script>alert(1)');
    await editor.get('/admin/report');
    const stale = await editor.post('/admin/report/draft', { ...form, version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('chưa được lưu');
    expect((await editor.get('/admin/report/download?format=pdf')).statusCode).toBe(400);

    const sender = await signIn(tokens.sender!);
    expect((await sender.get('/admin/report')).statusCode).toBe(200);
    const docx = await sender.get('/admin/report/download?format=docx');
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toContain('.docx');
    expect((await sender.post('/admin/report/draft', { version: '1' })).statusCode).toBe(403);
    expect((await sender.post('/admin/report/snapshot', {})).statusCode).toBe(403);
  });

  it('owners create and revoke tokens; a revoked token cannot sign in', async () => {
    const owner = await signIn(OWNER);
    await owner.get('/admin/tokens');
    const bad = await owner.post('/admin/tokens', { name: '<x>', role: 'viewer' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="err-name"');
    const made = await owner.post('/admin/tokens', { name: 'Chị Lan', role: 'editor' });
    const token = /id="new-token">([^<]+)</.exec(made.body)![1]!;
    expect((await signIn(token)).cookies.size).toBeGreaterThan(0);
    const { accounts } = await dashboardContext(t.app, t.services);
    const id = (await accounts.listTokens()).find((k) => k.name === 'Chị Lan')!.id;
    await owner.get('/admin/tokens');
    await owner.post(`/admin/tokens/${id}/revoke`, {});
    const v = new Visitor(t);
    await v.get('/admin/login');
    expect((await v.post('/admin/login', { token })).statusCode).toBe(401);
  });
});
