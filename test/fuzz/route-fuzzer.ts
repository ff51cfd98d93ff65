import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiPath, type RegisteredRoute } from '../helpers/api-routes.js';
import type { TestApp } from '../helpers/app.js';
import { anyText, encodeAll } from './arbitraries.js';
import { bodyOf, pathValue, queryOf, type Parameter, type Schema } from './schema-arbitraries.js';

/** Generated requests per route (query, path and body together). */
export const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 1000);

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/**
 * What is wrong with an answer, if anything: a 5xx, or a refusal that is not `{error, message}`
 * or shows a stack trace. (Plain checks: `expect` on each of 42,000 answers costs seconds.)
 */
function problemOf(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode >= 500) return `a ${res.statusCode}`;
  if (res.statusCode < 400) return undefined;
  let body: { error?: unknown; message?: unknown };
  try {
    body = res.json();
  } catch {
    return 'a refusal that is not JSON';
  }
  if (typeof body.error !== 'string' || typeof body.message !== 'string')
    return 'a refusal without {error, message}';
  if (/\n\s+at |node_modules/.test(body.message)) return 'a stack trace';
  return undefined;
}

/**
 * Fuzzes the admin API: every `/api/v1` route the app registered (so a new route is fuzzed
 * without touching this file) gets RUNS_PER_ROUTE requests generated from its OpenAPI
 * description (valid values, then one field made hostile, then hostile throughout) with an owner
 * token. No answer may be a 5xx, and a refused request to a mutating route must write nothing.
 */
export function describeRouteFuzz(
  t: TestApp,
  registered: RegisteredRoute[],
  token: string,
  share: { part: number; of: number } = { part: 0, of: 1 },
): void {
  const auth = { authorization: `Bearer ${token}` };
  // Each test file takes every `of`-th route, so the test workers share the fuzzing.
  const mine = sorted(registered).filter((_, i) => i % share.of === share.part);
  describe(`admin API routes under generated requests (share ${share.part + 1} of ${share.of})`, () => {
    let doc: { paths: Record<string, Record<string, Operation>> };
    let authWrites = 0;
    beforeAll(async () => {
      ({ doc, authWrites } = await prepare(t, auth));
    });
    it('takes its share of a route list that is not empty', () => {
      expect(registered.length).toBeGreaterThan(40);
      expect(mine.length).toBeGreaterThan(0);
    });
    it.each(mine.map((r): [string, RegisteredRoute] => [`${r.method} ${r.url}`, r]))(
      `%s: ${RUNS_PER_ROUTE} generated requests, none a 5xx, nothing stored when refused`,
      async (_, route) => fuzzRoute(t, auth, doc, authWrites, route),
    );
  });
}

function sorted(routes: RegisteredRoute[]): RegisteredRoute[] {
  return [...routes].sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

/** Ids to find (a draft broadcast, a campaign, a token), the document, and what auth writes. */
async function prepare(t: TestApp, auth: Record<string, string>) {
  const doc = (await t.app.inject('/docs/json')).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  // Things to find by id: a draft broadcast, a campaign, a token.
  for (const [url, payload] of [
    ['/api/v1/broadcasts', { message: { vi: 'Thử' }, segment: {}, dryRun: true }],
    [
      '/api/v1/campaigns',
      { name: 'Băng rôn chợ Vinh', kind: 'banner', place: 'Chợ Vinh', province: 'nghe-an' },
    ],
    ['/api/v1/tokens', { name: 'fuzz viewer', role: 'viewer' }],
  ] as const) {
    const res = await t.app.inject({ method: 'POST', url, headers: auth, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
  }
  // Every signed-in request records the token's last use; a refusal may write that, nothing more.
  const probe = await changes(t);
  const refusedProbe = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: auth,
    payload: {},
  });
  expect(refusedProbe.statusCode).toBe(400);
  const authWrites = (await changes(t)) - probe;
  expect(authWrites).toBeLessThanOrEqual(1);
  return { doc, authWrites };
}

/** Rows inserted, updated or deleted on the store's connection so far (SQLite). */
async function changes(t: TestApp): Promise<number> {
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(
    t.services.store.db,
  );
  return rows[0]!.n;
}

/** Ids that exist after `prepare` (broadcast, campaign, token 1-3; FAQ entries by name). */
const KNOWN_IDS = ['1', '2', '3', 'hoc-tap-suot-doi', 'dang-ky'];

const oddBody = fc.record({
  payload: fc.oneof(anyText, fc.constantFrom('{', '{"a":', '[1,', '\u0000', '')),
  type: fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
  ),
});

async function fuzzRoute(
  t: TestApp,
  auth: Record<string, string>,
  doc: { paths: Record<string, Record<string, Operation>> },
  authWrites: number,
  { method, url }: RegisteredRoute,
): Promise<void> {
  const op = doc.paths[openApiPath(url)]?.[method.toLowerCase()];
  expect(op, `${method} ${url} is documented`).toBeDefined();
  const parameters = op!.parameters ?? [];
  const inPath = parameters.filter((p) => p.in === 'path');
  const path = fc
    .tuple(...inPath.map((p) => pathValue(p, KNOWN_IDS)))
    .map((values) =>
      inPath.reduce((u, p, i) => u.replace(`:${p.name}`, encodeAll(values[i] ?? '')), url),
    );
  const query = queryOf(parameters.filter((p) => p.in === 'query'));
  const mutating = method !== 'GET';
  const schema = op!.requestBody?.content['application/json']?.schema;
  const json = bodyOf(schema).map((b) => ({
    payload: JSON.stringify(b) ?? 'null',
    type: 'application/json',
  }));
  const body = mutating
    ? fc.oneof(
        { weight: 6, arbitrary: json },
        { weight: 1, arbitrary: oddBody },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.constant(undefined);
  const seen = new Map<number, number>();
  // One count after each request: what it wrote is the change since the last one.
  let last = mutating ? await changes(t) : 0;
  await fc.assert(
    fc.asyncProperty(path, query, body, async (p, q, b) => {
      const res = await t.app.inject({
        method: method as 'GET',
        url: `${p}${q}`,
        headers: b ? { ...auth, 'content-type': b.type } : auth,
        ...(b ? { payload: b.payload } : {}),
      });
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      const what = () =>
        `${method} ${p.slice(0, 300)}${q.slice(0, 300)} ${b?.payload.slice(0, 300) ?? ''}`;
      const problem = problemOf(res);
      if (problem) expect.fail(`${what()} -> ${problem}: ${res.body.slice(0, 500)}`);
      if (!mutating) return;
      const now = await changes(t);
      const wrote = now - last;
      last = now;
      if (res.statusCode >= 400 && wrote > authWrites)
        expect.fail(`a refused ${what()} (${res.statusCode}) wrote to the database`);
    }),
    { numRuns: RUNS_PER_ROUTE },
  );
  if (process.env.FUZZ_STATS)
    process.stderr.write(`${method} ${url} ${JSON.stringify(Object.fromEntries(seen))}\n`);
  // Where a route takes input, hostile input was refused: the generator reached the checks.
  const refused = [...seen].filter(([code]) => code >= 400).reduce((n, [, c]) => n + c, 0);
  if (parameters.length > 0 || schema) expect(refused).toBeGreaterThan(0);
}
