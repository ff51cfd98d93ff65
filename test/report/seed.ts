import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/db.js';
import { localDay } from '../../src/registration/time.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { seedContacts } from '../helpers/contacts.js';

/** A local time in Ho Chi Minh City (+07:00) as epoch ms. */
export const at = (local: string) => Date.parse(`${local}+07:00`);

/** Registrations to seed: [course, session, province, audience, status, how many]. */
type RegistrationSpec = [
  string,
  string,
  string,
  string,
  'confirmed' | 'waitlisted' | 'cancelled',
  number,
];

let codes = 0;

/** Inserts registrations as the registration feature leaves them (personal fields cleared on cancel). */
export async function seedRegistrations(
  store: Store,
  specs: RegistrationSpec[],
  when: number,
): Promise<void> {
  let i = 0;
  for (const [course, session, province, audience, status, n] of specs) {
    for (let k = 0; k < n; k += 1, i += 1) {
      codes += 1;
      await store.db
        .insertInto('registrations')
        .values({
          code: `T${String(codes).padStart(6, '0')}`,
          course_id: course,
          session_id: session,
          channel: 'zalo',
          user_id: `z${(i % 7) + 1}`,
          full_name: status === 'cancelled' ? null : 'Nguyễn Văn A',
          phone: status === 'cancelled' ? null : `+8491${String(codes).padStart(7, '0')}`,
          province,
          audience,
          locale: 'vi',
          status,
          consent_id: null,
          created_at: when,
          confirmed_at: status === 'confirmed' ? when : null,
          cancelled_at: status === 'cancelled' ? when : null,
        })
        .execute();
    }
  }
}

/**
 * The records of a small Week: ten contacts on three platforms, messages on two days (one day
 * already purged into the daily counters), registrations, and one announcement with its funnel.
 */
export async function seedWeek(store: Store, timezone: string): Promise<void> {
  const inWeek = at('2020-10-02T09:00:00');
  const before = at('2020-09-01T09:00:00');
  await seedContacts(
    store,
    [1, 2, 3, 4, 5, 6, 7].map((i) => ({
      channel: 'zalo' as const,
      userId: `z${i}`,
      optedIn: i <= 2,
      lastInboundAt: inWeek,
    })),
    inWeek,
  );
  await seedContacts(
    store,
    [1, 2, 3].map((i) => ({
      channel: 'messenger' as const,
      userId: `m${i}`,
      optedIn: i === 1,
      lastInboundAt: inWeek,
    })),
    inWeek,
  );
  await seedContacts(
    store,
    [
      { channel: 'zalo', userId: 'z8', optedIn: false, lastInboundAt: before },
      { channel: 'viber', userId: 'v1', optedIn: false, lastInboundAt: before },
    ],
    before,
  );
  // Five Zalo messages and a receipt on 02/10 (purged into the counters), two Messenger on 03/10.
  const inbox = [
    ...[1, 2, 3, 4, 5].map((i) => ({
      channel: 'zalo',
      id: `zm${i}`,
      kind: 'message',
      atMs: inWeek + i,
    })),
    { channel: 'zalo', id: 'zr1', kind: 'receipt', atMs: inWeek + 9 },
    ...[1, 2].map((i) => ({
      channel: 'messenger',
      id: `mm${i}`,
      kind: 'message',
      atMs: at('2020-10-03T20:00:00') + i,
    })),
  ];
  await store.db
    .insertInto('inbox')
    .values(
      inbox.map((e) => ({
        channel: e.channel,
        event_id: e.id,
        conversation: `${e.channel}:x`,
        kind: e.kind,
        body: null,
        status: 'done' as const,
        received_at: e.atMs,
        processed_at: e.atMs,
      })),
    )
    .execute();
  await new InboxRepo(store.db).purgeProcessed(at('2020-10-03T00:00:00'), (ms) =>
    localDay(ms, timezone),
  );

  await seedRegistrations(
    store,
    [
      ['ky-nang-so-co-ban', 'ky-nang-so-co-ban-tu-hoc', 'nghe-an', 'pupil', 'confirmed', 6],
      ['ky-nang-so-co-ban', 'ky-nang-so-co-ban-tu-hoc', 'ha-noi', 'worker', 'confirmed', 3],
      ['ky-nang-so-co-ban', 'ky-nang-so-co-ban-tu-hoc', 'nghe-an', 'pupil', 'waitlisted', 1],
      ['ky-nang-so-co-ban', 'ky-nang-so-co-ban-tu-hoc', 'nghe-an', 'pupil', 'cancelled', 2],
      [
        'internet-an-toan-hs-ph',
        'internet-an-toan-hs-ph-0210',
        'nghe-an',
        'parent',
        'confirmed',
        2,
      ],
    ],
    inWeek,
  );

  const broadcast = await store.db
    .insertInto('broadcasts')
    .values({
      status: 'done',
      message: JSON.stringify({ vi: 'Lễ khai mạc Tuần lễ lúc 8 giờ ngày 01/10' }),
      button: null,
      segment: '{}',
      schedule_at: at('2020-10-01T07:00:00'),
      plan: null,
      created_at: at('2020-09-30T07:00:00'),
      updated_at: at('2020-10-01T07:10:00'),
      started_at: at('2020-10-01T07:00:00'),
      finished_at: at('2020-10-01T07:10:00'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contacts = await store.db
    .selectFrom('contacts')
    .select(['id', 'channel', 'user_id'])
    .execute();
  const idOf = (userId: string) => Number(contacts.find((c) => c.user_id === userId)!.id);
  const sentAt = at('2020-10-01T07:01:00');
  const delivery = (
    userId: string,
    channel: string,
    status: string,
    receipt: string | null,
    reason: string | null,
  ) => ({
    broadcast_id: Number(broadcast.id),
    contact_id: idOf(userId),
    channel,
    user_id: userId,
    locale: 'vi',
    status,
    reason,
    message_id: status === 'sent' ? `msg-${userId}` : null,
    next_attempt_at: sentAt,
    created_at: sentAt,
    updated_at: sentAt,
    sent_at: status === 'sent' ? sentAt : null,
    receipt,
    receipt_at: receipt ? sentAt : null,
  });
  await store.db
    .insertInto('deliveries')
    .values([
      delivery('z1', 'zalo', 'sent', 'read', null),
      delivery('z2', 'zalo', 'sent', 'delivered', null),
      delivery('m1', 'messenger', 'failed', null, 'outside-window'),
      delivery('v1', 'viber', 'sent', null, null),
    ])
    .execute();
}

/**
 * What the contest, nominations and campaign features record during the Week, through their own
 * services: nine quiz entries (six pass, two finish without passing, one stops), seven nominations
 * in the Week plus one before it, and a poster whose link brought three people (two new).
 */
export async function seedFeatures(services: Services): Promise<void> {
  const day = at('2020-10-04T09:00:00');
  const { quiz, nominations, campaigns } = services;
  const round = quiz.bank.rounds[0]!;
  const entrants: Array<[string, string, 'pass' | 'fail' | 'stop']> = [
    ...[1, 2, 3, 4, 5, 6].map((i) => [`q${i}`, 'nghe-an', 'pass'] as [string, string, 'pass']),
    ['q7', 'nghe-an', 'stop'],
    ['q8', 'ha-noi', 'fail'],
    ['q9', 'ha-noi', 'fail'],
  ];
  for (const [userId, province, how] of entrants) {
    let { attempt } = await quiz.start(
      round,
      { channel: 'zalo', userId, locale: 'vi', province },
      day,
    );
    if (how === 'stop') continue;
    for (const [i, q] of round.questions.entries()) {
      const choice = how === 'pass' ? q.answer : (q.answer + 1) % q.choices.length;
      const outcome = await quiz.answer(round, attempt, i, choice, day + i);
      if (outcome.kind !== 'recorded') throw new Error(`answer ${i} of ${userId}: ${outcome.kind}`);
      attempt = outcome.attempt;
    }
  }

  const nominate = (userId: string, province: string, consentAt: number) =>
    nominations.create({
      channel: 'zalo',
      userId,
      nomineeName: 'Trần Thị Bình',
      commune: 'Phường Hưng Bình',
      province,
      story: 'Bà tự học tin học ở tuổi 70 để dạy lại cho các cháu.',
      contact: '+84912000111',
      locale: 'vi',
      noticeVersion: 'test',
      consentAt,
    });
  const decisions = ['commend', 'commend', 'reject', null, null, null] as const;
  for (const [i, decision] of decisions.entries()) {
    const n = await nominate(`n${i}`, 'nghe-an', day);
    if (decision) await nominations.review(n.id, decision, null, day);
  }
  const hanoi = await nominate('n9', 'ha-noi', day);
  await nominations.review(hanoi.id, 'accept', null, day);
  await nominate('n10', 'nghe-an', at('2020-09-01T09:00:00'));

  const poster = await campaigns.repo.insert({
    ref: 'poster-vinh',
    name: 'Áp phích Quảng trường Hồ Chí Minh',
    name_key: 'ap phich quang truong ho chi minh',
    kind: 'poster',
    place: 'Quảng trường Hồ Chí Minh, Vinh',
    province: 'nghe-an',
    flow: null,
    created_at: at('2020-09-25T09:00:00'),
  });
  const contacts = await services.store.db
    .selectFrom('contacts')
    .select(['id', 'user_id'])
    .where('user_id', 'in', ['z1', 'z2', 'z3'])
    .execute();
  for (const c of contacts)
    await campaigns.repo.addArrival({
      campaignId: poster.id,
      unknownRef: null,
      channel: 'zalo',
      contactId: Number(c.id),
      firstContact: c.user_id !== 'z3',
      at: at('2020-10-02T08:00:00'),
    });
  await campaigns.repo.addArrival({
    campaignId: null,
    unknownRef: 'poster-cu',
    channel: 'zalo',
    contactId: null,
    firstContact: true,
    at: at('2020-10-02T08:00:00'),
  });
}
