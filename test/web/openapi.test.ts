import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  security?: unknown[];
}

describe('OpenAPI for the admin API and request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_TOKEN: 'openapi-token-0123456789' } });
  });
  afterAll(async () => t?.close());

  it('/docs/json describes every admin route from its own schema', async () => {
    const res = await t.app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, Operation>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/broadcasts',
      '/api/v1/broadcasts/{id}',
      '/api/v1/broadcasts/{id}/cancel',
      '/api/v1/broadcasts/{id}/send',
      '/api/v1/contacts',
      '/api/v1/courses',
      '/api/v1/courses/{id}',
      '/api/v1/courses/{id}/sessions',
      '/api/v1/courses/{id}/sessions/{sessionId}',
      '/api/v1/events',
      '/api/v1/events/{id}',
      '/api/v1/questions/unanswered',
      '/api/v1/registrations',
      '/api/v1/registrations/stats',
      '/api/v1/status',
    ]);
    const names = (op: Operation | undefined) => (op?.parameters ?? []).map((p) => p.name).sort();
    expect(names(doc.paths['/api/v1/registrations']!.get)).toEqual([
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
    expect(names(doc.paths['/api/v1/questions/unanswered']!.get)).toEqual(['limit', 'offset']);
    const create = doc.paths['/api/v1/broadcasts']!.post!;
    const body = create.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties ?? {}).sort()).toEqual([
      'button',
      'dryRun',
      'message',
      'scheduleAt',
      'segment',
    ]);
    expect(create.security).toEqual([{ bearer: [] }]);
    const session = doc.paths['/api/v1/courses/{id}/sessions/{sessionId}']!;
    expect(Object.keys(session).sort()).toEqual(['delete', 'patch']);
    expect(
      Object.keys(
        session.patch!.requestBody!.content['application/json']!.schema.properties ?? {},
      ).sort(),
    ).toEqual(['capacity', 'id', 'place', 'province', 'schedule', 'version']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
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
