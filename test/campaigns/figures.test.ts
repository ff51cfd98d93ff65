import { afterEach, describe, expect, it } from 'vitest';
import { attribute, ATTRIBUTION_MS } from '../../src/campaigns/attribution.js';
import type { Arrival, Conversion } from '../../src/campaigns/repo.js';
import { ManualClock } from '../../src/core/clock.js';
import { eraseUserData } from '../../src/registration/erasure.js';
import { SubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';
import { campaignBody } from './helpers.js';

const DAY = 86_400_000;
const T0 = Date.parse('2020-10-01T08:00:00+07:00');

const arrival = (
  campaignId: number | null,
  contactId: number | null,
  at: number,
  firstContact = true,
): Arrival => ({
  campaignId,
  channel: 'messenger',
  contactId,
  firstContact,
  at,
});

describe('attribute', () => {
  it('credits the latest arrival within the window, once per person for opt-ins', () => {
    const arrivals = [arrival(1, 10, T0), arrival(2, 10, T0 + DAY, false), arrival(1, 11, T0)];
    const conversions: Conversion[] = [
      { contactId: 10, at: T0 + 2 * DAY, what: 'registration' }, // latest touch: campaign 2
      { contactId: 10, at: T0 + 2 * DAY, what: 'optIn' },
      { contactId: 10, at: T0 + 3 * DAY, what: 'optIn' }, // the same person again
      { contactId: 11, at: T0 + DAY, what: 'registration' },
      { contactId: 11, at: T0 + ATTRIBUTION_MS + 1, what: 'registration' }, // too late
      { contactId: 11, at: T0 - 1, what: 'optIn' }, // before the arrival
    ];
    const counts = attribute(arrivals, conversions);
    expect(counts.get(1)).toEqual({
      firstContacts: 2,
      returningContacts: 0,
      registrations: 1,
      optIns: 0,
    });
    expect(counts.get(2)).toEqual({
      firstContacts: 0,
      returningContacts: 1,
      registrations: 1,
      optIns: 1,
    });
  });

  it('credits nothing after an unknown reference and counts erased people once each', () => {
    const counts = attribute(
      [arrival(null, 10, T0), arrival(1, null, T0), arrival(1, null, T0 + 1, false)],
      [{ contactId: 10, at: T0 + 1, what: 'registration' }],
    );
    expect(counts.get(null)).toEqual({
      firstContacts: 1,
      returningContacts: 0,
      registrations: 0,
      optIns: 0,
    });
    expect(counts.get(1)).toMatchObject({ firstContacts: 1, returningContacts: 1 });
  });
});

describe.each(BACKENDS)('campaign figures on $name', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('counts arrivals, registrations and opt-ins by kind and place; an erasure keeps the count', async () => {
    const clock = new ManualClock(T0);
    t = await startTestApp({ clock, backend });
    const { campaigns, contacts, store } = t.services;
    const school = await campaigns.create(
      campaignBody({
        kind: 'school',
        ref: 'thcs-a',
        name: 'Trường THCS A',
        place: 'Trường THCS A',
      }),
    );
    const bus = await campaigns.create(
      campaignBody({
        kind: 'vehicle',
        ref: 'xe-1',
        name: 'Xe 1',
        place: 'Huyện B',
        province: 'ha-tinh',
      }),
    );

    await campaigns.arrive('messenger', 'u1', 'c-thcs-a');
    await contacts.touch('zalo', 'u2', clock.now() - 10 * DAY);
    const back = await campaigns.arrive('zalo', 'u2', 'c-xe-1');
    expect(back).toMatchObject({ firstContact: false, campaign: { id: bus.id } });
    await campaigns.arrive('viber', 'u3', 'c-typo');
    clock.advance(DAY);
    await store.db
      .insertInto('registrations')
      .values({
        code: 'ABC123',
        course_id: 'c',
        session_id: 's',
        channel: 'messenger',
        user_id: 'u1',
        full_name: 'Nguyễn Văn A',
        phone: '+84912000001',
        province: 'nghe-an',
        audience: 'parent',
        locale: 'vi',
        status: 'confirmed',
        consent_id: null,
        created_at: clock.now(),
        confirmed_at: clock.now(),
        cancelled_at: null,
      })
      .execute();
    await new SubscriptionsRepo(store.db).set(
      'zalo',
      'u2',
      { optedIn: true, topics: ['news'] },
      clock.now(),
    );

    const period = { from: T0 - DAY, to: T0 + 2 * DAY };
    const figures = await campaigns.figures(period);
    expect(figures.total).toEqual({
      firstContacts: 1,
      returningContacts: 1,
      registrations: 1,
      optIns: 1,
    });
    expect(figures.byKind).toEqual(
      expect.arrayContaining([
        {
          kind: 'school',
          campaigns: 1,
          firstContacts: 1,
          returningContacts: 0,
          registrations: 1,
          optIns: 0,
        },
        {
          kind: 'vehicle',
          campaigns: 1,
          firstContacts: 0,
          returningContacts: 1,
          registrations: 0,
          optIns: 1,
        },
      ]),
    );
    expect(figures.byPlace).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ province: 'ha-tinh', place: 'Huyện B', returningContacts: 1 }),
      ]),
    );
    expect(figures.byChannel).toEqual(
      expect.arrayContaining([
        { channel: 'messenger', firstContacts: 1, returningContacts: 0 },
        { channel: 'zalo', firstContacts: 0, returningContacts: 1 },
      ]),
    );
    expect(figures.unknownCampaign).toEqual({ firstContacts: 1, returningContacts: 0 });
    // u2 was first seen ten days before the period: not new in it.
    expect(figures.newContactsByChannel).toEqual([
      { channel: 'messenger', contacts: 1 },
      { channel: 'viber', contacts: 1 },
    ]);
    // A period before the arrivals is empty.
    expect((await campaigns.figures({ from: 0, to: T0 - DAY })).total.firstContacts).toBe(0);

    // The person erases their data: the arrival stays, unlinked; the registration went with them.
    await eraseUserData(store.db, { channel: 'messenger', userId: 'u1' }, clock.now());
    const after = await campaigns.figures(period);
    expect(after.byKind.find((k) => k.kind === 'school')).toMatchObject({
      firstContacts: 1,
      registrations: 0,
    });
    const rows = await campaigns.repo.arrivals(period.from, period.to);
    expect(rows.filter((r) => r.contactId === null)).toHaveLength(1);
    expect(school.ref).toBe('thcs-a');
  });
});
