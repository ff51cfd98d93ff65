import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { PlatformError } from '../../src/core/errors.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import type { Role } from '../../src/dashboard/roles.js';
import { startTestApp, simulate, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const OWNER = 'owner-token-0123456789';
const START = Date.UTC(2026, 9, 1, 3);

describe('admin API: tokens, roles and approval', () => {
  let t: TestApp;
  let zalo: FakeChannel;
  const tokens: Partial<Record<Role, string>> = {};

  const call = (
    token: string | undefined,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeEach(async () => {
    zalo = new FakeChannel('zalo');
    t = await startTestApp({
      clock: new ManualClock(START),
      channels: [zalo],
      env: { ADMIN_TOKEN: OWNER, BROADCAST_APPROVAL: 'on', BROADCAST_QUIET_HOURS: 'off' },
    });
    await seedContacts(t.services.store, [{ channel: 'zalo', userId: 'z1' }], START);
    for (const role of ['viewer', 'editor', 'sender', 'approver'] as const) {
      const res = await call(OWNER, 'POST', '/tokens', { name: `${role} one`, role });
      expect(res.statusCode).toBe(201);
      tokens[role] = res.json<{ token: string }>().token;
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 401 with WWW-Authenticate to a missing or wrong token, and accepts any case of "Bearer"', async () => {
    const missing = await call(undefined, 'GET', '/status');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer realm="admin"/);
    const wrong = await call('not-the-token-at-all', 'GET', '/status');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await t.app.inject({
        url: '/api/v1/status',
        headers: { authorization: `${scheme} ${OWNER}` },
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it('limits wrong tokens per client: the 11th in a minute gets 429, even with the right token', async () => {
    for (let i = 0; i < 10; i++)
      expect((await call(`wrong-token-number-${i}`, 'GET', '/status')).statusCode).toBe(401);
    expect((await call('wrong-token-number-x', 'GET', '/status')).statusCode).toBe(429);
    expect((await call(OWNER, 'GET', '/status')).statusCode).toBe(429);
  });

  it('stores tokens hashed only', async () => {
    const rows = await t.services.store.db.selectFrom('kv').selectAll().execute();
    const all =
      JSON.stringify(
        await t.services.store.db
          .selectFrom('admin_tokens' as never)
          .selectAll()
          .execute(),
      ) + JSON.stringify(rows);
    expect(all).not.toContain(OWNER);
    expect(all).not.toContain(tokens.viewer!);
  });

  it('gives each role what it may do: a viewer reads but cannot send, export or manage tokens', async () => {
    expect((await call(tokens.viewer, 'GET', '/broadcasts')).statusCode).toBe(200);
    const send = await call(tokens.viewer, 'POST', '/broadcasts', {
      message: { vi: 'Xin chào' },
      segment: {},
    });
    expect(send.statusCode).toBe(403);
    expect(send.json<{ message: string }>().message).toContain('viewer');
    expect((await call(tokens.viewer, 'GET', '/registrations')).statusCode).toBe(403);
    expect((await call(tokens.viewer, 'GET', '/tokens')).statusCode).toBe(403);
    expect(
      (await call(tokens.sender, 'POST', '/tokens', { name: 'x y', role: 'owner' })).statusCode,
    ).toBe(403);
    expect((await call(tokens.editor, 'GET', '/registrations')).statusCode).toBe(200);
    expect(
      (await call(tokens.approver, 'POST', '/broadcasts', { message: { vi: 'a' }, segment: {} }))
        .statusCode,
    ).toBe(403);
    expect(await t.services.broadcasts.list()).toHaveLength(0);
  });

  it('keeps personal lists to exporters and the report to editors, across every feature', async () => {
    for (const path of ['/nominations', '/quiz/results'])
      expect((await call(tokens.viewer, 'GET', path)).statusCode, path).toBe(403);
    expect((await call(tokens.editor, 'GET', '/nominations')).statusCode).toBe(200);
    const draft = { version: 0, draft: { strengths: 'Phối hợp tốt' } };
    expect((await call(tokens.sender, 'PUT', '/report/draft', draft)).statusCode).toBe(403);
    const saved = await call(tokens.editor, 'PUT', '/report/draft', draft);
    expect(saved.statusCode).toBe(200);
    const current = await call(tokens.viewer, 'GET', '/report/draft');
    expect(JSON.stringify(current.json())).toContain('editor one');
  });

  it('a sender cannot approve their own broadcast; another approver can, once; nothing goes twice', async () => {
    const created = await call(tokens.sender, 'POST', '/broadcasts', {
      message: { vi: 'Khai mạc lúc 8 giờ' },
      segment: {},
    });
    expect(created.statusCode).toBe(201);
    const { id, status } = created.json<{ id: number; status: string }>();
    expect(status).toBe('draft');
    expect((await call(tokens.sender, 'POST', `/broadcasts/${id}/send`)).statusCode).toBe(409);
    expect((await call(tokens.sender, 'POST', `/broadcasts/${id}/approve`)).statusCode).toBe(403);
    // An owner has every permission, but the four-eyes rule is about the person.
    const mine = await call(OWNER, 'POST', '/broadcasts', {
      message: { vi: 'Của tôi' },
      segment: {},
    });
    const ownId = mine.json<{ id: number }>().id;
    const own = await call(OWNER, 'POST', `/broadcasts/${ownId}/approve`);
    expect(own.statusCode).toBe(409);
    expect(own.json<{ message: string }>().message).toContain('cannot approve');

    const [a, b] = await Promise.all([
      call(tokens.approver, 'POST', `/broadcasts/${id}/approve`),
      call(tokens.approver, 'POST', `/broadcasts/${id}/approve`),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    await t.services.broadcasts.engine.tick();
    await t.services.broadcasts.engine.tick();
    expect(zalo.sent.filter((s) => s.message.text === 'Khai mạc lúc 8 giờ')).toHaveLength(1);
    const audit = await call(OWNER, 'GET', '/audit');
    const actions = audit.json<{ items: Array<{ actor: string; action: string }> }>().items;
    expect(actions).toEqual(
      expect.arrayContaining([
        { ...actions.find((x) => x.action === 'broadcast.approve')!, actor: 'approver one' },
      ]),
    );
  });

  it('retries only the failed recipients', async () => {
    await seedContacts(t.services.store, [{ channel: 'zalo', userId: 'z2' }], START);
    let failing = true;
    zalo.fail = (userId) =>
      failing && userId === 'z2'
        ? new PlatformError('refused', { permanent: true, platformCode: -201 })
        : undefined;
    const { id } = (
      await call(tokens.sender, 'POST', '/broadcasts', { message: { vi: 'Lần 1' }, segment: {} })
    ).json<{ id: number }>();
    expect((await call(tokens.approver, 'POST', `/broadcasts/${id}/approve`)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await t.services.broadcasts.engine.tick();
    const failed = (
      await call(tokens.viewer, 'GET', `/broadcasts/${id}/recipients?status=failed`)
    ).json<{ items: Array<{ userId: string; reason: string }> }>();
    expect(failed.items.map((r) => r.userId)).toEqual(['z2']);
    expect(failed.items[0]!.reason).toBeTruthy();
    failing = false;
    expect((await call(tokens.viewer, 'POST', `/broadcasts/${id}/retry`)).statusCode).toBe(403);
    expect((await call(tokens.sender, 'POST', `/broadcasts/${id}/retry`)).json()).toEqual({
      requeued: 1,
    });
    for (let i = 0; i < 4; i++) await t.services.broadcasts.engine.tick();
    const texts = zalo.sent.filter((s) => s.message.text === 'Lần 1').map((s) => s.userId);
    expect(texts.sort()).toEqual(['z1', 'z2']);
    expect((await call(tokens.sender, 'POST', `/broadcasts/${id}/retry`)).statusCode).toBe(409);
  });

  it('an FAQ variant added at run time is answered by the bot at once, with its history kept', async () => {
    const question = 'ai tổ chức cái tuần này vậy ta';
    const before = await simulate(t.app, { userId: 'u1', text: question });
    const { entries } = (await call(OWNER, 'GET', '/faq')).json<{
      entries: Array<{ id: string; version: number; answer: { vi: string } }>;
    }>();
    const entry = entries[0]!;
    expect(before.map((r) => r.text).join('\n')).not.toContain(entry.answer.vi.slice(0, 30));
    expect(
      (
        await call(tokens.sender, 'POST', '/faq/variants', {
          entryId: entry.id,
          lang: 'vi',
          question,
          version: 0,
        })
      ).statusCode,
    ).toBe(403);
    const added = await call(tokens.editor, 'POST', '/faq/variants', {
      entryId: entry.id,
      lang: 'vi',
      question,
      version: 0,
    });
    expect(added.statusCode).toBe(200);
    const stale = await call(OWNER, 'POST', '/faq/variants', {
      entryId: entry.id,
      lang: 'vi',
      question: 'một câu khác hẳn',
      version: 0,
    });
    expect(stale.statusCode).toBe(409);
    const after = await simulate(t.app, { userId: 'u2', text: question });
    expect(after[0]!.text.slice(0, 20)).toBe(
      entry.answer.vi.replace(/{{[^}]+}}/g, '').slice(0, 20),
    );
    const viaApi = await call(tokens.viewer, 'GET', `/faq/${entry.id}/history`);
    expect(viaApi.json<{ changes: Array<{ actor: string; version: number }> }>().changes).toEqual([
      expect.objectContaining({ actor: 'editor one', version: 1 }),
    ]);
    const { faq } = await dashboardContext(t.app, t.services);
    const history = await faq.history(entry.id);
    expect(history.map((h) => [h.version, h.actor, h.action])).toEqual([
      [1, 'editor one', 'add-variant'],
    ]);
  });

  it('answers the person who asked, once, and only inside the platform window', async () => {
    await simulate(t.app, { userId: 'asker', text: 'xe buýt số mấy đi tới hội trường vậy' });
    const list = await call(OWNER, 'GET', '/questions/unanswered');
    const question = list.json<{ items: Array<{ id: number; channel: string }> }>().items[0]!;
    expect(question.channel).toBe('simulator');
    expect(
      (
        await call(tokens.viewer, 'POST', `/questions/${question.id}/answer`, {
          text: 'Tuyến 05 ạ',
        })
      ).statusCode,
    ).toBe(403);
    const sent = await call(tokens.editor, 'POST', `/questions/${question.id}/answer`, {
      text: 'Tuyến 05 ạ',
    });
    expect(sent.statusCode).toBe(200);
    const again = await call(tokens.editor, 'POST', `/questions/${question.id}/answer`, {
      text: 'Tuyến 05 ạ',
    });
    expect(again.statusCode).toBe(409);
    const mailbox = await t.app.inject({ url: '/simulator/api/messages?userId=asker' });
    expect(mailbox.json<{ replies: Array<{ text: string }> }>().replies.map((r) => r.text)).toEqual(
      ['Tuyến 05 ạ'],
    );

    // A Zalo user silent for 8 days is past the 7-day window: nothing is sent.
    await seedContacts(
      t.services.store,
      [{ channel: 'zalo', userId: 'old', lastInboundAt: START - 8 * 24 * 3600_000 }],
      START,
    );
    const contact = await t.services.contacts.get('zalo', 'old');
    await t.services.store.db
      .insertInto('unanswered_questions')
      .values({
        text: 'còn chỗ không',
        channel: 'zalo',
        contact_id: contact!.id,
        outcome: 'none',
        asked_at: START,
      })
      .execute();
    const late = (await call(OWNER, 'GET', '/questions/unanswered')).json<{
      items: Array<{ id: number }>;
    }>().items[0]!;
    const refused = await call(tokens.editor, 'POST', `/questions/${late.id}/answer`, {
      text: 'Còn ạ',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('past-7-days');
    expect(zalo.sent.filter((s) => s.userId === 'old')).toHaveLength(0);
  });

  it('exports XLSX with Vietnamese intact and no-store, as it does CSV', async () => {
    const course = t.services.content.courses.courses[0]!;
    const session = course.sessions[0]!;
    await t.services.registration.repo.register({
      courseId: course.id,
      sessionId: session.id,
      capacity: session.capacity,
      channel: 'zalo',
      userId: 'z1',
      fullName: 'Nguyễn Thị Hương',
      phone: '+84912345678',
      province: 'nghe-an',
      audience: 'citizen',
      locale: 'vi',
      waitlist: false,
      consent: { purpose: 'registration', noticeVersion: 'test', at: START },
      now: START,
    });
    const xlsx = await call(
      tokens.editor,
      'GET',
      '/registrations?format=xlsx&search=H%C6%B0%C6%A1ng',
    );
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['cache-control']).toBe('no-store');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('registrations')!;
    expect(sheet.getRow(1).getCell(8).value).toBe('full_name');
    expect(sheet.getRow(2).getCell(8).value).toBe('Nguyễn Thị Hương');
    expect(sheet.getRow(2).getCell(11).value).toBe('Nghệ An');
    expect(sheet.rowCount).toBe(2);
    const csv = await call(tokens.editor, 'GET', '/registrations?format=csv');
    expect(csv.headers['cache-control']).toBe('no-store');
  });

  it('sends security headers on the API and the simulator page', async () => {
    for (const url of ['/simulator', '/api/v1/status', '/admin/login']) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${OWNER}` } });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
  });
});
