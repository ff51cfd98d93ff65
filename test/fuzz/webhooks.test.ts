import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signViberBody } from '../../src/channels/viber/verify.js';
import { ManualClock } from '../../src/core/clock.js';
import { APP_ID, OA_SECRET } from '../channels/zalo/helpers.js';
import { OFFICIAL_TOKEN } from '../channels/viber/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signMessenger } from '../helpers/messenger.js';
import { startPlatform, type Platform } from '../helpers/platforms.js';
import { anyJson, anyText } from './arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const START = Date.UTC(2026, 9, 1, 8, 0, 0);

/** A 64-bit (or bigger) integer written as bare JSON digits: JSON.parse would round it. */
const BIG = fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map((n) => `__BIG__${n}`);

/** JSON text where `"__BIG__<digits>"` placeholders become bare numbers. */
function json(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"__BIG__(\d+)"/g, '$1');
}

/** Ids as platforms send them, and the odd ones they never should. */
const id = fc.oneof(
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.constantFrom('', ' ', '0', 'PAGE', '__proto__'),
  anyText,
  BIG,
);
const stamp = fc.oneof(
  fc.integer({ min: START - 3_600_000, max: START + 60_000 }),
  fc.integer({ min: START - 3_600_000, max: START }).map(String),
  BIG,
  anyJson,
);
/** A body, its signature right most of the time, or the raw bytes of something that is not JSON. */
function signedOrNot<T>(body: fc.Arbitrary<T>): fc.Arbitrary<{ raw: string; signed: boolean }> {
  return fc.oneof(
    { weight: 8, arbitrary: body.map((b) => ({ raw: json(b), signed: true })) },
    { weight: 1, arbitrary: body.map((b) => ({ raw: json(b), signed: false })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(anyText, fc.constantFrom('{', '[', '{"object":"page","entry":[', '\u0000\u0001'))
        .map((raw) => ({ raw, signed: true })),
    },
  );
}

const messengerItem = fc.record(
  {
    sender: fc.oneof(fc.record({ id }), anyJson),
    recipient: fc.record({ id: fc.constant('PAGE') }),
    timestamp: stamp,
    message: fc.oneof(
      fc.record(
        {
          mid: anyText,
          text: anyText,
          quick_reply: fc.record({ payload: anyText }),
          is_echo: fc.boolean(),
          app_id: fc.oneof(id, anyJson),
          attachments: fc.array(anyJson, { maxLength: 300 }),
        },
        { requiredKeys: ['mid'] },
      ),
      anyJson,
    ),
    postback: fc.record({ payload: anyText, title: anyText }, { requiredKeys: [] }),
    delivery: fc.record({ watermark: stamp, mids: fc.array(anyText) }, { requiredKeys: [] }),
    read: fc.record({ watermark: stamp }),
    referral: fc.record({ ref: anyText, source: anyText }, { requiredKeys: [] }),
    policy_enforcement: fc.record({ action: anyText }),
  },
  { requiredKeys: [] },
);
/** Well-formed text events around odd text, so turns run on it too. */
const userId = fc.stringMatching(/^[1-9][0-9]{5,17}$/);
const wellFormedMessenger = fc.tuple(userId, fc.uuid(), anyText).map(([user, mid, text]) => ({
  object: 'page',
  entry: [
    {
      id: 'PAGE',
      time: START,
      messaging: [
        {
          sender: { id: user },
          recipient: { id: 'PAGE' },
          timestamp: START,
          message: { mid, text },
        },
      ],
    },
  ],
}));
const wellFormedViber = fc.tuple(userId, BIG, anyText).map(([user, token, text]) => ({
  event: 'message',
  timestamp: START,
  message_token: token,
  sender: { id: `${user}==`, name: 'A', language: 'vi' },
  message: { type: 'text', text },
}));
const wellFormedZalo = fc.tuple(userId, fc.uuid(), anyText).map(([user, msgId, text]) => ({
  app_id: APP_ID,
  event_name: 'user_send_text',
  timestamp: String(START),
  sender: { id: user },
  recipient: { id: '4024926008133882615' },
  message: { text, msg_id: msgId },
}));

const messengerBody = signedOrNot(
  fc.oneof(
    { arbitrary: wellFormedMessenger, weight: 1 },
    fc.record({
      object: fc.oneof(fc.constant('page'), anyText),
      entry: fc.array(
        fc.record(
          {
            id: id,
            time: stamp,
            messaging: fc.oneof(fc.array(messengerItem, { maxLength: 5 }), anyJson),
            standby: fc.array(messengerItem, { maxLength: 2 }),
          },
          { requiredKeys: ['id'] },
        ),
        { maxLength: 4 },
      ),
    }),
    fc.record({
      object: fc.constant('page'),
      entry: fc.array(fc.constant({}), { maxLength: 3000 }),
    }),
    anyJson,
  ),
);

const viberBody = signedOrNot(
  fc.oneof(
    { arbitrary: wellFormedViber, weight: 1 },
    fc.record(
      {
        event: fc.oneof(
          fc.constantFrom('message', 'delivered', 'seen', 'failed', 'subscribed', 'unsubscribed'),
          fc.constantFrom('conversation_started', 'webhook', 'client_status'),
          anyText,
        ),
        timestamp: stamp,
        chat_hostname: anyText,
        message_token: fc.oneof(BIG, anyJson),
        user_id: id,
        sender: fc.oneof(
          fc.record(
            { id, name: anyText, language: fc.oneof(fc.constantFrom('vi', 'en'), anyText) },
            { requiredKeys: ['id'] },
          ),
          anyJson,
        ),
        user: fc.record({ id, language: anyText }, { requiredKeys: ['id'] }),
        message: fc.oneof(
          fc.record(
            {
              type: fc.oneof(fc.constantFrom('text', 'picture', 'sticker'), anyText),
              text: anyText,
              tracking_data: anyText,
            },
            { requiredKeys: ['type'] },
          ),
          anyJson,
        ),
        context: anyText,
        desc: anyText,
        silent: fc.boolean(),
      },
      { requiredKeys: ['event'] },
    ),
    anyJson,
  ),
);

const ZALO_EVENTS = [
  'user_send_text',
  'user_send_image',
  'user_send_group_text',
  'anonymous_send_text',
  'anonymous_send_file',
  'oa_send_text',
  'oa_send_anonymous_text',
  'follow',
  'unfollow',
  'user_click_chatnow',
  'user_submit_info',
  'user_received_message',
  'user_seen_message',
];
const zaloBody = signedOrNot(
  fc.oneof(
    { arbitrary: wellFormedZalo, weight: 1 },
    fc.record(
      {
        app_id: fc.oneof(fc.constant(APP_ID), anyText),
        oa_id: id,
        event_name: fc.oneof(fc.constantFrom(...ZALO_EVENTS), anyText),
        timestamp: stamp,
        sender: fc.oneof(fc.record({ id, admin_id: id }, { requiredKeys: ['id'] }), anyJson),
        recipient: fc.record({ id }),
        follower: fc.record({ id }),
        message: fc.oneof(
          fc.record(
            {
              text: anyText,
              msg_id: anyText,
              msg_ids: fc.array(anyText, { maxLength: 500 }),
              conversation_id: id,
              attachments: fc.array(anyJson, { maxLength: 200 }),
            },
            { requiredKeys: [] },
          ),
          anyJson,
        ),
        info: anyJson,
      },
      { requiredKeys: ['event_name'] },
    ),
    anyJson,
  ),
);

/** Zalo's mac over the exact bytes, with the timestamp as the server reads it from the body. */
function zaloHeaders(raw: string, signed: boolean): Record<string, string> {
  let ts = '';
  try {
    const t = (JSON.parse(raw) as { timestamp?: unknown }).timestamp;
    ts = typeof t === 'number' ? String(t) : typeof t === 'string' ? t : '';
  } catch {
    // not JSON: signed over an empty timestamp, refused anyway
  }
  const mac = createHash('sha256')
    .update(
      Buffer.concat([
        Buffer.from(APP_ID),
        Buffer.from(raw),
        Buffer.from(ts),
        Buffer.from(signed ? OA_SECRET : 'wrong'),
      ]),
    )
    .digest('hex');
  return { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` };
}

describe('webhooks under generated bodies (black box, real routes)', () => {
  let t: TestApp;
  const platforms: Platform[] = [];
  beforeAll(async () => {
    for (const p of ['messenger', 'viber', 'zalo'] as const) platforms.push(await startPlatform(p));
    t = await startTestApp({
      clock: new ManualClock(START),
      env: {
        ...Object.assign({}, ...platforms.map((p) => p.env)),
        ZALO_MAX_EVENT_AGE_MINUTES: '180',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    for (const p of platforms) await p.close();
  });

  /** Inbox rows of one channel (the three runs go side by side). */
  async function rows(channel: string): Promise<number> {
    const [row] = await t.services.store.db
      .selectFrom('inbox')
      .where('channel', '=', channel as 'zalo')
      .select((e) => e.fn.countAll().as('n'))
      .execute();
    return Number(row?.n ?? 0);
  }

  const CASES = [
    {
      name: 'messenger',
      body: messengerBody,
      headers: (raw: string, signed: boolean) =>
        signed ? signMessenger(raw) : signMessenger(raw, 'not-the-app-secret'),
      refused: (status: number, signed: boolean) => !signed || status >= 400,
    },
    {
      name: 'viber',
      body: viberBody,
      headers: (raw: string, signed: boolean) => ({
        'content-type': 'application/json',
        'x-viber-content-signature': signViberBody(Buffer.from(raw), signed ? OFFICIAL_TOKEN : 'x'),
      }),
      refused: (status: number, signed: boolean) => !signed || status >= 400,
    },
    {
      name: 'zalo',
      body: zaloBody,
      headers: zaloHeaders,
      // Zalo is answered 200 even when refused: a wrong mac must still store nothing.
      refused: (status: number, signed: boolean) => !signed || status >= 400,
    },
  ] as const;

  /** One platform's run: RUNS bodies through its real route, checked one by one. */
  async function fuzz(c: (typeof CASES)[number]): Promise<void> {
    const statuses = new Map<number, number>();
    const first = await rows(c.name);
    await fc.assert(
      fc.asyncProperty(c.body, async ({ raw, signed }) => {
        const before = await rows(c.name);
        const res = await t.app.inject({
          method: 'POST',
          url: `/webhooks/${c.name}`,
          headers: c.headers(raw, signed),
          payload: raw,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (c.refused(res.statusCode, signed)) expect(await rows(c.name)).toBe(before);
        if (!signed && c.name !== 'zalo') expect([401, 403]).toContain(res.statusCode);
      }),
      { numRuns: RUNS },
    );
    // Both paths were exercised: some requests stored events, some were refused.
    const stored = (await rows(c.name)) - first;
    if (process.env.FUZZ_STATS)
      process.stderr.write(
        `${c.name} ${JSON.stringify(Object.fromEntries(statuses))} stored ${stored}\n`,
      );
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(stored).toBeGreaterThan(20);
  }

  it(`POST /webhooks/{messenger,viber,zalo}: ${RUNS} generated bodies each, side by side; no 5xx, nothing stored when refused`, async () => {
    await Promise.all(CASES.map((c) => fuzz(c)));
  }, 120_000);

  it(
    'every accepted event ran without a failed turn, and the server still answers',
    { timeout: 60_000 },
    async () => {
      await t.services.inbox.idle();
      const counts = await t.services.inboxRepo.counts();
      if (process.env.FUZZ_STATS)
        for (const r of await t.services.store.db
          .selectFrom('inbox')
          .selectAll()
          .where('status', '=', 'failed')
          .execute())
          process.stderr.write(`FAILED ${JSON.stringify(r).slice(0, 600)}\n`);
      expect(counts.failed ?? 0).toBe(0);
      expect(counts.pending ?? 0).toBe(0);
      expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    },
  );
});
