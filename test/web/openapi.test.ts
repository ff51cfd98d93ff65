import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteCollector, openApiPath } from '../helpers/api-routes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

interface Operation {
  tags?: string[];
  summary?: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses?: Record<string, { description: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}

type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('OpenAPI for the admin API and request ids', () => {
  let t: TestApp;
  let doc: Doc;
  const collected = apiRouteCollector();
  beforeAll(async () => {
    t = await startTestApp({
      env: { ADMIN_TOKEN: 'openapi-token-0123456789' },
      onRoute: collected.hook,
    });
    const res = await t.app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    doc = res.json<Doc>();
  });
  afterAll(async () => t?.close());

  const operation = (method: string, url: string) =>
    doc.paths[openApiPath(url)]?.[method.toLowerCase()];
  const names = (op: Operation | undefined, where = 'query') =>
    (op?.parameters ?? [])
      .filter((p) => p.in === where)
      .map((p) => p.name)
      .sort();

  it('/docs/json describes every /api/v1 route the app registers, with its answers and the token', () => {
    expect(doc.openapi).toMatch(/^3\./);
    // Guards the guard: the collector saw the whole admin API, not an empty or partial list.
    expect(collected.routes.length).toBeGreaterThan(40);
    const undocumented = collected.routes
      .filter(({ method, url }) => {
        const op = operation(method, url);
        return !op?.summary || !op.tags?.length || Object.keys(op.responses ?? {}).length === 0;
      })
      .map(({ method, url }) => `${method} ${url}`);
    expect(undocumented).toEqual([]);
    for (const { method, url } of collected.routes) {
      const op = operation(method, url)!;
      expect(op.security, `${method} ${url}`).toEqual([{ bearer: [] }]);
      const codes = Object.keys(op.responses!);
      expect(
        codes.some((c) => c.startsWith('2')),
        `${method} ${url}`,
      ).toBe(true);
      expect(codes, `${method} ${url}`).toContain('401');
      // Every `:param` of the path is a documented path parameter.
      const inPath = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      expect(names(op, 'path'), `${method} ${url}`).toEqual(inPath);
    }
    // Nothing documented that the app does not serve.
    const served = new Set(collected.routes.map((r) => `${r.method} ${openApiPath(r.url)}`));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });

  it('shows the parameters and bodies the routes check', () => {
    expect(names(operation('GET', '/api/v1/registrations'))).toEqual([
      'audience',
      'channel',
      'course',
      'format',
      'from',
      'page',
      'pageSize',
      'province',
      'search',
      'session',
      'status',
      'to',
    ]);
    expect(names(operation('GET', '/api/v1/questions/unanswered'))).toEqual(['limit', 'offset']);
    expect(names(operation('GET', '/api/v1/nominations'))).toEqual([
      'page',
      'pageSize',
      'province',
      'status',
    ]);
    expect(names(operation('GET', '/api/v1/campaigns/:id/qr'))).toEqual([
      'format',
      'lang',
      'platform',
    ]);
    expect(names(operation('GET', '/api/v1/report'))).toEqual([
      'edition',
      'format',
      'lang',
      'snapshot',
    ]);
    expect(names(operation('GET', '/api/v1/broadcasts/:id/recipients'))).toEqual([
      'limit',
      'offset',
      'status',
    ]);
    const create = operation('POST', '/api/v1/broadcasts')!;
    const body = create.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties ?? {}).sort()).toEqual([
      'button',
      'dryRun',
      'message',
      'scheduleAt',
      'segment',
    ]);
    const session = operation('PATCH', '/api/v1/courses/:id/sessions/:sessionId')!;
    expect(
      Object.keys(session.requestBody!.content['application/json']!.schema.properties ?? {}).sort(),
    ).toEqual(['capacity', 'id', 'place', 'province', 'schedule', 'version']);
    expect(operation('DELETE', '/api/v1/courses/:id/sessions/:sessionId')).toBeDefined();
    const campaign = operation('POST', '/api/v1/campaigns')!;
    expect(
      Object.keys(campaign.requestBody!.content['application/json']!.schema.properties!).sort(),
    ).toEqual(['flow', 'kind', 'name', 'place', 'province', 'ref']);
    const draft = operation('PUT', '/api/v1/report/draft')!;
    expect(
      Object.keys(draft.requestBody!.content['application/json']!.schema.properties!).sort(),
    ).toEqual(['author', 'draft', 'version']);
  });

  it('names the content type of every file a route returns', () => {
    const types = (method: string, url: string) =>
      Object.keys(operation(method, url)!.responses!['200']!.content ?? {}).sort();
    expect(types('GET', '/api/v1/report')).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'text/html; charset=utf-8',
    ]);
    expect(types('GET', '/api/v1/registrations')).toEqual([
      'application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv; charset=utf-8',
    ]);
    expect(types('GET', '/api/v1/quiz/results')).toContain('text/csv; charset=utf-8');
    expect(types('GET', '/api/v1/campaigns/:id/qr')).toEqual([
      'image/png',
      'image/svg+xml; charset=utf-8',
    ]);
    expect(types('GET', '/api/v1/campaigns/:id/poster')).toEqual(['text/html; charset=utf-8']);
    expect(operation('DELETE', '/api/v1/nominations/:id')!.responses!['204']).toBeDefined();
  });

  it("serves Swagger UI at /docs, its scripts and the YAML form, under the app's own headers", async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = res.body.match(/src="\.\/([^"]+\.js)"/)?.[1];
    expect(script, res.body.slice(0, 500)).toBeDefined();
    const js = await t.app.inject(`/docs/${script}`);
    expect(js.statusCode).toBe(200);
    expect(Number(js.headers['content-length'])).toBe(js.rawPayload.length);
    expect(js.rawPayload.length).toBeGreaterThan(1000);
    const yaml = await t.app.inject('/docs/yaml');
    expect(yaml.statusCode).toBe(200);
    expect(yaml.body).toContain('/api/v1/registrations');
    expect((await t.app.inject('/docs/no-such-file.js')).statusCode).toBe(404);
    const head = await t.app.inject({ method: 'HEAD', url: '/docs/json' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toContain('application/json');
    expect(head.body).toBe('');
  });

  it('is built apart, on the first /docs request: the app itself never loads @fastify/swagger', async () => {
    expect(t.app.hasPlugin('@fastify/swagger')).toBe(false);
    const fresh = await startTestApp({ env: { ADMIN_TOKEN: 'openapi-token-0123456789' } });
    try {
      // Requests racing for the first build are all answered, with the whole document.
      const answers = await Promise.all([1, 2, 3].map(() => fresh.app.inject('/docs/json')));
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(answers[0]!.json<Doc>().paths).toEqual(doc.paths);
    } finally {
      await fresh.close();
    }
  });

  it("documents without validating: a bad query still gets the route's own 400 naming the field", async () => {
    const res = await t.app.inject({
      url: '/api/v1/registrations?page=abc',
      headers: { authorization: 'Bearer openapi-token-0123456789' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toContain('page');
  });

  it("answers with the caller's X-Request-Id when it is a plain token, else a fresh one", async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-7f3a.1' } });
    expect(given.headers['x-request-id']).toBe('lb-7f3a.1');
    const odd = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\nforged' } });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await t.app.inject('/healthz');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
