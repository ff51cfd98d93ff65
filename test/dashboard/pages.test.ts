import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import type { Role } from '../../src/dashboard/roles.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const OWNER = 'owner-token-for-page-tests';
const START = Date.UTC(2026, 9, 1, 3);

/** A cookie jar over `inject`: what a browser keeps between requests. */
class Visitor {
  readonly cookies = new Map<string, string>();
  last = '';
  constructor(private readonly t: TestApp) {}

  async get(url: string) {
    return this.send('GET', url);
  }

  /** Posts a form with the CSRF token of the last page (or the one given). */
  async post(url: string, form: Record<string, string>, csrf = this.csrf()) {
    return this.send(
      'POST',
      url,
      new URLSearchParams({ ...form, ...(csrf ? { _csrf: csrf } : {}) }).toString(),
    );
  }

  csrf(): string | undefined {
    return /name="_csrf" value="([^"]+)"/.exec(this.last)?.[1];
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string) {
    const res = await this.t.app.inject({
      method,
      url,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { payload: body }),
    });
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/.test(c) || value.join('=') === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    if (res.headers['content-type']?.toString().startsWith('text/html')) this.last = res.body;
    return res;
  }
}

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
