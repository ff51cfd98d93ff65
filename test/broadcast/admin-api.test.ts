import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { api, report, TOKEN } from './helpers.js';

const START = Date.UTC(2026, 9, 1, 3);

describe('broadcast admin API', () => {
  let t: TestApp;
  let zalo: FakeChannel;
  beforeEach(async () => {
    zalo = new FakeChannel('zalo');
    t = await startTestApp({
      clock: new ManualClock(START),
      channels: [zalo],
      env: { ADMIN_TOKEN: TOKEN },
    });
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'z1' },
        { channel: 'zalo', userId: 'z2', optedIn: false },
        { channel: 'viber', userId: 'v1', followed: true },
      ],
      START,
    );
  });
  afterEach(async () => {
    await t.close();
  });

  it.each([
    ['no message', { segment: {} }, 'message: is required.'],
    [
      'a misspelt segment field',
      { message: { vi: 'a' }, segment: { provice: ['Huế'] } },
      'segment: unknown field "provice".',
    ],
    [
      'an unknown channel',
      { message: { vi: 'a' }, segment: { channels: ['sms'] } },
      'segment.channels.0: must be one of messenger, viber, zalo, simulator.',
    ],
    [
      'a time in the past',
      { message: { vi: 'a' }, segment: {}, scheduleAt: '2026-09-30T08:00:00+07:00' },
      'scheduleAt: is in the past; leave it out to send now.',
    ],
    [
      'registrants of a course the catalogue does not have',
      { message: { vi: 'a' }, segment: { registered: { course: 'c1' } } },
      'segment.registered.course: "c1" is not a course of content/courses.json.',
    ],
    [
      'registrants of a session the catalogue does not have',
      { message: { vi: 'a' }, segment: { registered: { session: 'khong-co' } } },
      'segment.registered.session: "khong-co" is not a session of content/courses.json.',
    ],
    [
      'registrants of a session of another course',
      {
        message: { vi: 'a' },
        segment: {
          registered: {
            course: 'ky-nang-so-co-ban',
            session: 'internet-an-toan-hs-ph-0210',
          },
        },
      },
      'segment.registered.session: "internet-an-toan-hs-ph-0210" is not a session of course "ky-nang-so-co-ban".',
    ],
  ])('refuses %s with a clear 400 and writes nothing', async (_name, body, message) => {
    const res = await api(t.app, 'POST', '/broadcasts', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Bad Request', message });
    const list = await api<{ broadcasts: unknown[] }>(t.app, 'GET', '/broadcasts');
    expect(list.body.broadcasts).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/broadcasts',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: '{"message": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: 'The request body is not valid JSON.' });
  });

  it('needs the bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/broadcasts' });
    expect(res.statusCode).toBe(401);
  });

  it('a dry run returns the plan, keeps a draft and sends nothing; queuing the draft sends it', async () => {
    const res = await api<{ id: number; status: string; plan: Record<string, unknown> }>(
      t.app,
      'POST',
      '/broadcasts',
      { message: { vi: 'Thử' }, segment: {}, dryRun: true },
    );
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('draft');
    expect(res.body.plan).toMatchObject({
      total: 3,
      eligible: 1,
      notEligible: 2,
      byChannel: {
        zalo: {
          eligibleFree: 1,
          eligibleBilled: 0,
          notEligible: 1,
          reasons: { 'not-opted-in': 1 },
        },
        viber: {
          eligibleFree: 0,
          eligibleBilled: 0,
          notEligible: 1,
          reasons: { 'channel-off': 1 },
        },
      },
    });
    await t.services.broadcasts.engine.tick();
    expect(zalo.sent).toHaveLength(0);
    expect((await report(t.app, res.body.id)).counts.total).toBe(0);

    const queued = await api<{ status: string }>(t.app, 'POST', `/broadcasts/${res.body.id}/send`);
    expect(queued.body.status).toBe('scheduled');
    await t.services.broadcasts.engine.tick();
    expect(zalo.sent.map((s) => s.userId)).toEqual(['z1']);
    const r = await report(t.app, res.body.id);
    expect(r).toMatchObject({
      id: res.body.id,
      status: 'done',
      counts: { total: 2, sent: 1, skipped: 1, pending: 0, failed: 0, unknown: 0 },
    });
    expect(r.byChannel).toMatchObject({
      zalo: { total: 1, sent: 1 },
      viber: { total: 1, skipped: 1, reasons: { 'channel-off': 1 } },
    });

    expect((await api(t.app, 'POST', `/broadcasts/${res.body.id}/send`)).status).toBe(409);
    const late = await api<{ message: string }>(t.app, 'POST', `/broadcasts/${res.body.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.message).toBe(
      `broadcast ${res.body.id} is already done; there is nothing to cancel.`,
    );
  });

  it('lists broadcasts newest first and answers 404 for an unknown one', async () => {
    await api(t.app, 'POST', '/broadcasts', { message: { vi: 'Một' }, segment: {}, dryRun: true });
    await api(t.app, 'POST', '/broadcasts', { message: { vi: 'Hai' }, segment: {} });
    const list = await api<{ broadcasts: Array<{ message: { vi: string }; status: string }> }>(
      t.app,
      'GET',
      '/broadcasts',
    );
    expect(list.body.broadcasts.map((b) => [b.message.vi, b.status])).toEqual([
      ['Hai', 'scheduled'],
      ['Một', 'draft'],
    ]);
    expect((await api(t.app, 'GET', '/broadcasts/999')).status).toBe(404);
    expect((await api(t.app, 'GET', '/broadcasts/abc')).status).toBe(404);
    expect((await api(t.app, 'POST', '/broadcasts/999/cancel')).status).toBe(404);
  });

  it('targets registrants once the registrations feature provides the lookup', async () => {
    const z1 = await t.services.contacts.get('zalo', 'z1');
    t.services.broadcasts.registrations = async (filter) =>
      new Set(filter.course === 'c1' ? [z1!.id] : []);
    const res = await api<{ plan: { eligible: number } }>(t.app, 'POST', '/broadcasts', {
      message: { vi: 'Khóa học c1 bắt đầu' },
      segment: { registered: { course: 'c1' } },
      dryRun: true,
    });
    expect(res.body.plan.eligible).toBe(1);
    const none = await api<{ plan: { total: number } }>(t.app, 'POST', '/broadcasts', {
      message: { vi: 'Khóa học c2' },
      segment: { registered: { course: 'c2' } },
      dryRun: true,
    });
    expect(none.body.plan.total).toBe(0);
  });
});
