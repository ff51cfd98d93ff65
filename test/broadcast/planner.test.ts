import { describe, expect, it } from 'vitest';
import { parseBroadcastInput } from '../../src/broadcast/input.js';
import { judge, planFor, type Audience } from '../../src/broadcast/planner.js';
import { isQuiet, quietEndsAt } from '../../src/broadcast/quiet-hours.js';
import { renderFor } from '../../src/broadcast/render.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ChannelId } from '../../src/core/events.js';

const H = 3600_000;
const clock = new ManualClock(Date.UTC(2026, 9, 1, 3)); // 10:00 in Hanoi
const ALL_ON = new Set<ChannelId>(['messenger', 'viber', 'zalo', 'simulator']);
let ids = 0;
function person(
  channel: ChannelId,
  hoursAgo: number | null,
  more: Partial<Audience> = {},
): Audience {
  ids += 1;
  return {
    id: ids,
    channel,
    userId: `${channel}-${ids}`,
    locale: null,
    lastInboundAt: hoursAgo === null ? null : clock.now() - hoursAgo * H,
    followed: channel === 'messenger' ? null : true,
    optedIn: true,
    topics: ['all'],
    province: null,
    audience: null,
    ...more,
  };
}

describe('planner rules per platform', () => {
  it.each([
    ['messenger inside 24 h: free', person('messenger', 23), { send: true, billed: false }],
    [
      'messenger after 24 h: not eligible',
      person('messenger', 25),
      { send: false, reason: 'outside-24h-window' },
    ],
    ['zalo inside 48 h: free', person('zalo', 47), { send: true, billed: false }],
    ['zalo 48 h - 7 days: billed', person('zalo', 100), { send: true, billed: true }],
    [
      'zalo past 7 days: not eligible',
      person('zalo', 24 * 7 + 1),
      { send: false, reason: 'past-7-days' },
    ],
    [
      'zalo unfollowed',
      person('zalo', 1, { followed: false, optedIn: false }),
      { send: false, reason: 'unfollowed' },
    ],
    ['viber in a 24 h session: free', person('viber', 3), { send: true, billed: false }],
    ['viber outside a session: billed', person('viber', 30), { send: true, billed: true }],
    [
      'viber unsubscribed',
      person('viber', 1, { followed: false, optedIn: false }),
      { send: false, reason: 'unsubscribed' },
    ],
    [
      'not opted in (silence is not consent)',
      person('zalo', 1, { optedIn: false }),
      { send: false, reason: 'not-opted-in' },
    ],
  ])('%s', (_name, contact, verdict) => {
    expect(judge(contact, clock.now(), ALL_ON)).toEqual(verdict);
  });

  it('names a channel that is not configured', () => {
    expect(judge(person('zalo', 1), clock.now(), new Set(['viber']))).toEqual({
      send: false,
      reason: 'channel-off',
    });
  });

  it('moves people between free, billed and not eligible as the clock runs', () => {
    const zalo = person('zalo', 47);
    const at = new ManualClock(clock.now());
    expect(judge(zalo, at.now(), ALL_ON)).toEqual({ send: true, billed: false });
    at.advance(2 * H);
    expect(judge(zalo, at.now(), ALL_ON)).toEqual({ send: true, billed: true });
    at.advance(6 * 24 * H);
    expect(judge(zalo, at.now(), ALL_ON)).toEqual({ send: false, reason: 'past-7-days' });
  });

  it('counts per channel: free, billed, not eligible with reasons, within the segment only', () => {
    const contacts = [
      person('messenger', 1),
      person('messenger', 30),
      person('zalo', 1, { province: 'Hà Nội' }),
      person('zalo', 60, { province: 'ha noi' }),
      person('zalo', 24 * 8, { province: 'HA NOI' }),
      person('zalo', 1, { province: 'Huế' }),
      person('viber', 30, { optedIn: false }),
      person('viber', 1, { topics: ['courses'] }),
      person('viber', 1, { topics: ['events'] }),
    ];
    const plan = planFor(contacts, { provinces: ['Hà Nội'] }, clock.now(), ALL_ON);
    expect(plan).toMatchObject({ total: 3, eligible: 2, billed: 1, notEligible: 1 });
    expect(plan.byChannel).toEqual({
      zalo: { eligibleFree: 1, eligibleBilled: 1, notEligible: 1, reasons: { 'past-7-days': 1 } },
    });
    const viber = planFor(
      contacts,
      { channels: ['viber'], topics: ['events'] },
      clock.now(),
      ALL_ON,
    );
    expect(viber.byChannel.viber).toEqual({
      eligibleFree: 1,
      eligibleBilled: 0,
      notEligible: 1,
      reasons: { 'not-opted-in': 1 },
    });
    const all = planFor(contacts, {}, clock.now(), ALL_ON);
    expect(all.byChannel.messenger).toEqual({
      eligibleFree: 1,
      eligibleBilled: 0,
      notEligible: 1,
      reasons: { 'outside-24h-window': 1 },
    });
  });

  it('filters on language (no language counts as Vietnamese) and audience group', () => {
    const contacts = [
      person('zalo', 1, { locale: 'en', audience: 'teachers' }),
      person('zalo', 1, { locale: null, audience: 'teachers' }),
      person('zalo', 1, { locale: 'vi', audience: 'students' }),
    ];
    expect(planFor(contacts, { languages: ['en'] }, clock.now(), ALL_ON).total).toBe(1);
    expect(planFor(contacts, { languages: ['vi'] }, clock.now(), ALL_ON).total).toBe(2);
    expect(planFor(contacts, { audiences: ['Teachers'] }, clock.now(), ALL_ON).total).toBe(2);
  });
});

describe('quiet hours (21:00-07:00 in Asia/Ho_Chi_Minh)', () => {
  const quiet = { startMinute: 21 * 60, endMinute: 7 * 60 };
  const tz = 'Asia/Ho_Chi_Minh';
  const hanoi = (h: number, m = 0) => Date.UTC(2026, 9, 1, h - 7, m);
  it.each([
    [20, 59, false],
    [21, 0, true],
    [23, 30, true],
    [24 + 3, 0, true],
    [24 + 6, 59, true],
    [24 + 7, 0, false],
    [12, 0, false],
  ])('%i:%i quiet=%s', (h, m, expected) => {
    expect(isQuiet(hanoi(h, m), quiet, tz)).toBe(expected);
  });
  it('a send scheduled at 22:15 waits until 07:00 the next morning', () => {
    expect(new Date(quietEndsAt(hanoi(22, 15), quiet, tz)).toISOString()).toBe(
      '2026-10-02T00:00:00.000Z',
    );
    expect(quietEndsAt(hanoi(9), quiet, tz)).toBe(hanoi(9));
    expect(isQuiet(hanoi(23), null, tz)).toBe(false);
  });
});

describe('message per language', () => {
  const broadcast = {
    message: { vi: 'Xin chào', en: 'Hello' },
    button: { payload: 'REGISTER', title: { vi: 'Đăng ký' } },
  };
  it('gives each recipient their language, Vietnamese when there is no translation', () => {
    expect(renderFor(broadcast, 'en')).toEqual({
      locale: 'en',
      message: { text: 'Hello', choices: [{ title: 'Đăng ký', payload: 'REGISTER' }] },
    });
    expect(renderFor(broadcast, null).message.text).toBe('Xin chào');
    expect(renderFor({ message: { vi: 'Chỉ tiếng Việt' }, button: null }, 'en')).toEqual({
      locale: 'vi',
      message: { text: 'Chỉ tiếng Việt' },
    });
  });
});

describe('broadcast input', () => {
  it.each(
    (
      [
        [{}, 'message: is required.'],
        [{ message: 'hi', segment: {} }, 'message: must be an object like {"vi": "..."}.'],
        [{ message: { en: 'Hi' }, segment: {} }, 'message.vi: is required'],
        [{ message: { vi: '  ' }, segment: {} }, 'message.vi: must not be empty.'],
        [
          { message: { vi: 'x'.repeat(2001) }, segment: {} },
          'message.vi: must be at most 2000 characters.',
        ],
        [{ message: { vi: 'a', fr: 'b' }, segment: {} }, 'message: unknown field "fr".'],
        [{ message: { vi: 'a' } }, 'segment: is required ({} sends to everyone who opted in).'],
        [
          { message: { vi: 'a' }, segment: { provinse: ['Huế'] } },
          'segment: unknown field "provinse".',
        ],
        [
          { message: { vi: 'a' }, segment: { channels: ['telegram'] } },
          'segment.channels.0: must be one of messenger, viber, zalo, simulator.',
        ],
        [
          { message: { vi: 'a' }, segment: { channels: [] } },
          'segment.channels: must list at least one value',
        ],
        [
          { message: { vi: 'a' }, segment: {}, scheduleAt: 'tomorrow' },
          'scheduleAt: must be an ISO 8601 time',
        ],
        [{ message: { vi: 'a' }, segment: {}, dryRun: 'yes' }, 'dryRun: must be true or false.'],
        [
          {
            message: { vi: 'a' },
            segment: {},
            button: { payload: 'X', title: { vi: 'x'.repeat(21) } },
          },
          'button.title.vi: must be at most 20 characters.',
        ],
        [
          { message: { vi: 'a' }, segment: { registered: {} } },
          'segment.registered: needs "course" or "session".',
        ],
        [[1, 2], 'body: the body must be a JSON object.'],
      ] as Array<[unknown, string]>
    ).map(([body, message]) => [message, body] as const),
  )('refuses: %s', (message, body) => {
    const result = parseBroadcastInput(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('accepts a full request', () => {
    const result = parseBroadcastInput({
      message: { vi: ' Lễ khai mạc ', en: 'Opening' },
      button: { payload: 'REGISTER:c1', title: { vi: 'Đăng ký' } },
      segment: { channels: ['zalo'], topics: ['events'] },
      scheduleAt: '2026-10-01T08:00:00+07:00',
      dryRun: true,
    });
    expect(result).toEqual({
      ok: true,
      input: {
        message: { vi: 'Lễ khai mạc', en: 'Opening' },
        button: { payload: 'REGISTER:c1', title: { vi: 'Đăng ký' } },
        segment: { channels: ['zalo'], topics: ['events'] },
        scheduleAt: Date.UTC(2026, 9, 1, 1),
        dryRun: true,
      },
    });
  });
});
