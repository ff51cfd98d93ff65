import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ChannelId } from '../../src/core/events.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const COURSE = 'internet-an-toan-hs-ph';
const A = 'internet-an-toan-hs-ph-0210';
const B = 'internet-an-toan-hs-ph-0510';
const NOW = Date.parse('2020-09-25T10:00:00+07:00');

describe.each(BACKENDS)('segment "registered" reads the registrations ($name)', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({
      backend,
      clock: new ManualClock(NOW),
      channels: [new FakeChannel('messenger'), new FakeChannel('viber'), new FakeChannel('zalo')],
    });
  });
  afterEach(async () => {
    await t.close();
  });

  let phone = 0;
  const register = (channel: ChannelId, userId: string, sessionId: string, capacity = 10) =>
    t.services.registration.repo.register({
      courseId: COURSE,
      sessionId,
      capacity,
      channel,
      userId,
      fullName: 'Lê Thị Thử',
      phone: `+8491200${String(++phone).padStart(4, '0')}`,
      province: 'hue',
      audience: 'parent',
      locale: 'vi',
      waitlist: true,
      consent: { purpose: 'course-registration', noticeVersion: 'test', at: NOW },
      now: NOW,
    });

  it('takes confirmed registrations only, joined to contacts by channel and user id', async () => {
    // The same user id on several platforms is several people.
    await seedContacts(
      t.services.store,
      [
        { channel: 'messenger', userId: 'u1' },
        { channel: 'zalo', userId: 'u1' },
        { channel: 'viber', userId: 'u1' },
        { channel: 'viber', userId: 'u2' },
        { channel: 'zalo', userId: 'u3' },
      ],
      NOW,
    );
    const id = async (channel: ChannelId, userId: string) =>
      (await t.services.contacts.get(channel, userId))!.id;
    expect((await register('messenger', 'u1', A, 1)).kind).toBe('confirmed');
    expect((await register('zalo', 'u1', A, 1)).kind).toBe('waitlisted');
    expect((await register('viber', 'u2', B)).kind).toBe('confirmed');
    const cancelled = await register('zalo', 'u3', B);
    if (cancelled.kind !== 'confirmed') throw new Error(cancelled.kind);
    await t.services.registration.repo.cancel(cancelled.registration.id, () => 10, NOW);
    // A registration whose contact is gone (erased elsewhere) reaches nobody.
    await register('viber', 'nobody', B);

    const registrants = t.services.broadcasts.registrations!;
    expect(await registrants({ session: A })).toEqual(new Set([await id('messenger', 'u1')]));
    expect(await registrants({ course: COURSE })).toEqual(
      new Set([await id('messenger', 'u1'), await id('viber', 'u2')]),
    );
    expect(await registrants({ course: COURSE, session: B })).toEqual(
      new Set([await id('viber', 'u2')]),
    );

    const plan = await t.services.broadcasts.plan({ registered: { session: A } });
    expect(plan).toMatchObject({ total: 1, eligible: 1 });
    expect(Object.keys(plan.byChannel)).toEqual(['messenger']);
  });
});
