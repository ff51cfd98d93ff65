import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { anyJson, anyText, roughInstant } from './arbitraries.js';
import { fuzzApp } from './fuzz-app.js';

const TOKEN = 'fuzz-admin-token-0123456789';
const START = Date.UTC(2026, 9, 1, 3);
const RUNS = 1000;
const auth = { authorization: `Bearer ${TOKEN}` };

/** What every answer must be: no 5xx, and a refusal is `{error, message}` without a stack trace. */
function wellFormed(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = res.json<{ error: unknown; message: unknown }>();
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    expect(body.message as string).not.toMatch(/\n\s+at |node_modules/);
  }
}

const t = await fuzzApp(TOKEN, START);
afterAll(async () => t.close());

describe('admin API under generated input', () => {
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth });

  /** Rows a refused request must not have touched. */
  async function stored(): Promise<string> {
    const db = t.services.store.db;
    const b = await db.selectFrom('broadcasts').select(['id', 'status']).orderBy('id').execute();
    const d = await db
      .selectFrom('deliveries')
      .select((e) => e.fn.countAll().as('n'))
      .execute();
    return JSON.stringify([b, d]);
  }

  it.each([
    ['/api/v1/registrations?to=2020-13-45', 'to'],
    ['/api/v1/registrations?from=9999-99-99', 'from'],
    ['/api/v1/registrations?from=2020-02-30', 'from'],
    ['/api/v1/registrations?to=2020-10-01&to=2020-10-02', 'to'],
    ['/api/v1/questions/unanswered?limit=1e309', 'limit'],
    // Found by the route fuzzer: an offset past 2^63 was a 500 from SQLite.
    ['/api/v1/audit?offset=9223372036854776000', 'offset'],
    // Ajv read 1e309 as Infinity and let it past `maximum`: a 500 from SQLite.
    ['/api/v1/audit?offset=1e309', 'querystring/offset must be a finite number'],
    ['/api/v1/audit?limit=-1e309', 'querystring/limit must be a finite number'],
    ['/api/v1/broadcasts/1/recipients?limit=1e309', 'querystring/limit must be a finite number'],
  ])('GET %s is a 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toContain(field);
  });

  it.each([
    ['2026-10-02T08:00:00+25:00'],
    ['2026-10-02T08:00:00-14:60'],
    ['2026-13-02T08:00:00+07:00'],
    ['9999-10-02T08:00:00+07:00'],
  ])(
    'POST /broadcasts with scheduleAt %s is a 400 naming scheduleAt; nothing stored',
    async (at) => {
      const before = await stored();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/broadcasts',
        headers: auth,
        payload: { message: { vi: 'Xin chào' }, segment: {}, scheduleAt: at },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(/^scheduleAt: /);
      expect(await stored()).toBe(before);
    },
  );

  // Every route's queries, ids and bodies are fuzzed from the OpenAPI document in
  // admin-routes-*.test.ts; this file keeps the cases that need knowledge of a route.
  const message = fc.oneof(
    fc.record({ vi: anyText }, { requiredKeys: [] }),
    fc.record({ vi: fc.constant('Lễ khai mạc'), en: anyText }),
    anyJson,
  );
  const segment = fc.oneof(
    fc.constant({}),
    fc.record(
      {
        channels: fc.oneof(fc.array(fc.constantFrom('zalo', 'viber', 'sms', '')), anyJson),
        provinces: fc.oneof(fc.array(anyText, { maxLength: 600 }), anyJson),
        topics: fc.array(fc.constantFrom('events', 'courses', 'all', 'x')),
        languages: fc.array(fc.constantFrom('vi', 'en', 'fr')),
        registered: fc.oneof(fc.record({ course: anyText }, { requiredKeys: [] }), anyJson),
        [`extra`]: anyJson,
      },
      { requiredKeys: [] },
    ),
    anyJson,
  );
  const body = fc.oneof(
    fc.record(
      {
        message,
        segment,
        scheduleAt: fc.oneof(roughInstant, anyJson),
        button: fc.oneof(
          fc.record({ payload: anyText, title: fc.record({ vi: anyText }) }),
          anyJson,
        ),
        dryRun: fc.oneof(fc.boolean(), anyJson),
      },
      { requiredKeys: [] },
    ),
    anyJson,
  );
  // Valid bodies, and valid bodies with one field replaced by something odd: both paths get hit.
  const validText = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((x) => x.trim().length > 0);
  const validBody = fc.record(
    {
      message: fc.record({ vi: validText, en: validText }, { requiredKeys: ['vi'] }),
      segment: fc.record(
        {
          channels: fc.subarray(['zalo', 'viber', 'messenger', 'simulator'], { minLength: 1 }),
          languages: fc.subarray(['vi', 'en'], { minLength: 1 }),
          topics: fc.subarray(['events', 'courses'], { minLength: 1 }),
        },
        { requiredKeys: [] },
      ),
      scheduleAt: fc
        .date({
          min: new Date(START + 60_000),
          max: new Date(START + 300 * 86_400_000),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString()),
      dryRun: fc.boolean(),
    },
    { requiredKeys: ['message', 'segment'] },
  );
  const mutated = fc
    .tuple(
      validBody,
      fc.constantFrom(
        'message',
        'message.vi',
        'segment',
        'segment.channels',
        'scheduleAt',
        'button',
        'dryRun',
        'extra',
      ),
      fc.oneof(anyJson, roughInstant),
    )
    .map(([b, where, value]) => {
      const copy = structuredClone(b) as unknown as Record<string, unknown>;
      const [top, inner] = where.split('.') as [string, string | undefined];
      const nested = copy[top];
      if (inner && typeof nested === 'object' && nested !== null)
        (nested as Record<string, unknown>)[inner] = value;
      else copy[top] = value;
      return copy;
    });
  const raw = fc.oneof(
    validBody.map((b) => ({ payload: JSON.stringify(b), type: 'application/json' })),
    mutated.map((b) => ({ payload: JSON.stringify(b), type: 'application/json' })),
    body.map((b) => ({ payload: JSON.stringify(b) ?? 'undefined', type: 'application/json' })),
    fc.record({
      payload: fc.oneof(anyText, fc.constantFrom('{', '{"message":', '[1,', '\u0000')),
      type: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ),
    }),
  );

  it(`POST /api/v1/broadcasts: ${RUNS} generated bodies, none a 5xx, nothing stored when refused`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(raw, async ({ payload, type }) => {
        const before = await stored();
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/broadcasts',
          headers: { ...auth, 'content-type': type },
          payload,
        });
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        wellFormed(res);
        if (res.statusCode >= 400) expect(await stored()).toBe(before);
        if (res.statusCode === 400 && type === 'application/json')
          expect(res.json<{ message: string }>().message).toMatch(
            /^(body|message|segment|button|scheduleAt|dryRun)\b|request body|JSON/,
          );
      }),
      { numRuns: RUNS },
    );
    if (process.env.FUZZ_STATS)
      process.stderr.write(`POST /broadcasts ${JSON.stringify(Object.fromEntries(seen))}\n`);
    expect(seen.get(201) ?? 0).toBeGreaterThan(0);
    expect(seen.get(400) ?? 0).toBeGreaterThan(0);
  });
});
