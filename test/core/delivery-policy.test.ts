import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { referenceFor } from '../../src/core/activities.js';
import {
  OutsideWindowError,
  PlatformError,
  RateLimitedError,
  RecipientUnreachableError,
  TransportError,
} from '../../src/core/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { api, TOKEN } from '../broadcast/helpers.js';

const START = Date.UTC(2026, 9, 1, 3, 0); // 10:00 in Hanoi, outside quiet hours

/** What happened to one message after its first send failed. */
interface Outcome {
  status: string;
  reason: string | null;
  /** The contact is marked unreachable (followed = false, announcements off). */
  marked: boolean;
}

type Path = 'reply' | 'proactive turn' | 'notice' | 'broadcast';
const PATHS: Path[] = ['reply', 'proactive turn', 'notice', 'broadcast'];

// One delivery policy: whatever queued a message (a citizen's turn, a bot-initiated turn, a
// registration notice, a broadcast), the same platform answer leads to the same outcome.
const TABLE: Array<[string, () => Error, Omit<Outcome, 'marked'> & { marked: boolean }]> = [
  [
    'a network failure / 5xx',
    () => new TransportError('socket hang up'),
    { status: 'pending', reason: 'transport', marked: false },
  ],
  [
    '429 / Zalo -32 / Viber 12',
    () => new RateLimitedError('slow down', 1000, 613),
    { status: 'pending', reason: 'rate-limited', marked: false },
  ],
  [
    'a transient platform code',
    () => new PlatformError('try later', { platformCode: 2 }),
    { status: 'pending', reason: 'platform-error:2', marked: false },
  ],
  [
    'blocked / unsubscribed',
    () => new RecipientUnreachableError('blocked', 551),
    { status: 'failed', reason: 'unreachable', marked: true },
  ],
  [
    'outside the window',
    () => new OutsideWindowError('window closed', 10),
    { status: 'skipped', reason: 'outside-window', marked: false },
  ],
  [
    'a permanent platform refusal',
    () => new PlatformError('bad', { permanent: true, platformCode: 100 }),
    { status: 'failed', reason: 'platform-error:100', marked: false },
  ],
];

describe.each(TABLE)('one delivery policy: %s', (_name, error, expected) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(PATHS)('%s', async (path) => {
    const clock = new ManualClock(START);
    const zalo = new FakeChannel('zalo');
    zalo.fail = (_user, call) => (call === 1 ? error() : undefined);
    t = await startTestApp({ clock, channels: [zalo], env: { ADMIN_TOKEN: TOKEN } });
    const user = `z-${path.replace(' ', '-')}`;
    await seedContacts(
      t.services.store,
      [{ channel: 'zalo', userId: user, followed: true, lastInboundAt: START - 60_000 }],
      START,
    );
    const outboxOutcome = async () => {
      const [row] = await t!.services.store.db
        .selectFrom('outbox')
        .select(['status', 'reason'])
        .where('user_id', '=', user)
        .execute();
      return row;
    };
    let row: { status: string; reason: string | null } | undefined;
    switch (path) {
      case 'reply':
        await t.services.inbox.acceptAndWait([
          {
            channel: 'zalo',
            userId: user,
            eventId: `e-${user}`,
            timestamp: START,
            kind: 'message',
            text: 'xin chào',
          },
        ]);
        row = await outboxOutcome();
        break;
      case 'proactive turn':
        await (await t.services.engine()).adapter.continueConversation(referenceFor('zalo', user), async (c) => {
          await c.sendActivity('Lễ khai mạc lúc 8 giờ');
        });
        row = await outboxOutcome();
        break;
      case 'notice':
        // What Notices.deliver queues: a proactive `notice` row reporting to its notice.
        await t.services.outboxRepo.enqueue(
          [
            {
              channel: 'zalo',
              userId: user,
              kind: 'notice',
              mode: 'proactive',
              message: { text: 'Nhắc lịch' },
              deadline: START + 7 * 86400_000,
              ref: 1,
            },
          ],
          START,
        );
        await t.services.outbox.flush(`zalo:${user}`);
        row = await outboxOutcome();
        break;
      case 'broadcast': {
        const res = await api<{ id: number }>(t.app, 'POST', '/broadcasts', {
          message: { vi: 'Lễ khai mạc' },
          segment: {},
        });
        expect(res.status).toBe(201);
        await t.services.broadcasts.engine.tick();
        row = await t.services.store.db
          .selectFrom('deliveries')
          .select(['status', 'reason'])
          .where('user_id', '=', user)
          .executeTakeFirst();
        break;
      }
    }
    const contact = await t.services.contacts.get('zalo', user);
    expect({ ...row, marked: contact?.followed === false }).toEqual(expected);
    expect(zalo.calls).toBe(1);
  });
});
