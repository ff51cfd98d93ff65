import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { BEFORE_WEEK, contentDir, dumpAllTables } from './helpers.js';

/**
 * Erasure and broadcasts: the person's deliveries stay for the reports but lead back to no one,
 * and whatever the engine does next never sends them anything nor writes an id back.
 */
describe.each(BACKENDS)('erasure of a broadcast recipient on $name', (backend) => {
  let t: TestApp;
  const clock = new ManualClock(BEFORE_WEEK);
  beforeEach(async () => {
    clock.set(BEFORE_WEEK);
    t = await startTestApp({ backend, clock, env: { CONTENT_DIR: contentDir() } });
    await seedContacts(
      t.services.store,
      [
        { channel: 'zalo', userId: 'zalo-erase-1' },
        { channel: 'zalo', userId: 'zalo-keep-2' },
      ],
      BEFORE_WEEK,
    );
  });
  afterEach(async () => {
    await t.close();
  });

  const deliveries = () => t.services.broadcasts.deliveries;
  const rowsOf = (broadcastId: number) =>
    t.services.store.db
      .selectFrom('deliveries')
      .select(['contact_id', 'user_id', 'status', 'reason', 'message_id', 'receipt'])
      .where('broadcast_id', '=', broadcastId)
      .orderBy('id')
      .execute();

  /** A broadcast in `sending` with both contacts as pending recipients. */
  async function sendingBroadcast(): Promise<number> {
    const b = await t.services.broadcasts.broadcasts.insert(
      {
        status: 'sending',
        message: { vi: 'Thông báo' },
        button: null,
        segment: {},
        scheduleAt: clock.now(),
        plan: { at: '', total: 2, eligible: 2, billed: 0, notEligible: 0, byChannel: {} },
      },
      clock.now(),
    );
    const audience = await deliveries().audiencePage(0, 10, ['zalo']);
    await deliveries().insertMany(
      audience.map((contact) => ({
        broadcastId: b.id,
        contact,
        status: 'pending' as const,
        reason: null,
        billed: false,
      })),
      clock.now(),
    );
    return b.id;
  }

  it('keeps sent, in-flight and pending rows as anonymous counts; nothing reaches the person afterwards', async () => {
    const sent = await sendingBroadcast();
    const [a, b] = await deliveries().claim('zalo', 2, clock.now());
    await deliveries().finish(
      [
        { id: a!.id, status: 'sent', messageId: 'zm-sent-1' },
        { id: b!.id, status: 'sent', messageId: 'zm-sent-2' },
      ],
      clock.now(),
    );
    await deliveries().applyReceipt(
      {
        kind: 'receipt',
        channel: 'zalo',
        userId: 'zalo-erase-1',
        eventId: 'r1',
        timestamp: clock.now(),
        status: 'read',
        messageIds: ['zm-sent-1'],
      },
      clock.now(),
    );
    const inFlight = await sendingBroadcast();
    const claimed = await deliveries().claim('zalo', 2, clock.now());
    expect(claimed.map((c) => c.contact.userId)).toEqual(['zalo-erase-1', 'zalo-keep-2']);
    const pending = await sendingBroadcast();
    const reportBefore = await t.services.broadcasts.report(sent);

    const erased = await t.services.registration.erase('zalo', 'zalo-erase-1');
    expect(erased).toMatchObject({ deliveries: 3, registrations: 0 });

    const anonymous = { contact_id: null, user_id: 'erased', message_id: null };
    const [sentErased, sentKept] = await rowsOf(sent);
    expect(sentErased).toEqual({ ...anonymous, status: 'sent', reason: null, receipt: 'read' });
    expect(sentKept).toMatchObject({ user_id: 'zalo-keep-2', message_id: 'zm-sent-2' });
    expect((await rowsOf(inFlight))[0]).toEqual({
      ...anonymous,
      status: 'unknown',
      reason: 'erased',
      receipt: null,
    });
    expect((await rowsOf(pending))[0]).toEqual({
      ...anonymous,
      status: 'skipped',
      reason: 'erased',
      receipt: null,
    });

    // The platform call in flight at the erasure returns: the erased row is not written back.
    await deliveries().finish(
      claimed.map((c, i) => ({ id: c.id, status: 'sent' as const, messageId: `zm-late-${i}` })),
      clock.now(),
    );
    expect((await rowsOf(inFlight)).map((r) => [r.status, r.message_id])).toEqual([
      ['unknown', null],
      ['sent', 'zm-late-1'],
    ]);
    // Only the other person is still due.
    const next = await deliveries().claim('zalo', 10, clock.now());
    expect(next.map((c) => c.contact.userId)).toEqual(['zalo-keep-2']);

    // Reports keep their counts: the sent broadcast did not change at all.
    const reportAfter = await t.services.broadcasts.report(sent);
    expect(reportAfter?.counts).toEqual(reportBefore?.counts);
    expect(reportAfter?.counts).toMatchObject({ total: 2, sent: 2, read: 1 });
    expect((await t.services.broadcasts.report(pending))?.byChannel.zalo?.reasons).toEqual({
      erased: 1,
    });

    const dump = JSON.stringify(await dumpAllTables(t.services.store.db, t.services.store.dialect));
    for (const needle of ['zalo-erase-1', 'zm-sent-1']) expect(dump).not.toContain(needle);
    expect(dump).toContain('zalo-keep-2');
  });

  it('erasing someone the bot never stored leaves only the anonymous record', async () => {
    expect(await t.services.registration.erase('zalo', 'nobody')).toEqual({
      registrations: 0,
      consents: 0,
      subscriptionRecords: 0,
      deliveries: 0,
      questions: 0,
      inboxEvents: 0,
      quizAttempts: 0,
      nominations: 0,
    });
    const audit = await t.services.store.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ['data-subject', 'data_subject.erased'],
    ]);
    expect(await t.services.contacts.count()).toBe(2);
  });
});
