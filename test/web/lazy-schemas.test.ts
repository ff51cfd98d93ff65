import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { lazySerializers, lazyValidators } from '../../src/web/lazy-schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** One route with a body, a coerced querystring, a default and a response schema. */
async function server(lazy: boolean): Promise<FastifyInstance> {
  const app = Fastify(
    lazy
      ? {
          schemaController: {
            compilersFactory: {
              buildValidator: lazyValidators(),
              buildSerializer: lazySerializers(),
            },
          },
        }
      : {},
  );
  app.post(
    '/things',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, default: 10 } },
        },
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1 },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              limit: { type: 'integer' },
              tags: { type: 'array' },
            },
          },
        },
      },
    },
    async (req) => ({
      ...(req.body as object),
      limit: (req.query as { limit: number }).limit,
      secret: 'not in the response schema',
    }),
  );
  await app.ready();
  return app;
}

describe('route schemas compiled on first use', () => {
  const requests = [
    { url: '/things?limit=5', payload: { name: 'a', tags: 'one' } },
    { url: '/things', payload: { name: 'b' } },
    { url: '/things?limit=0', payload: { name: 'c' } },
    { url: '/things?limit=x', payload: { name: 'd' } },
    { url: '/things', payload: { tags: [] } },
    { url: '/things', payload: { name: '' } },
    { url: '/things', payload: { name: 'e', extra: true } },
    { url: '/things', payload: '"just a string"' },
  ];

  it('answer every request exactly as Fastify’s eager compilers do', async () => {
    const [lazy, eager] = await Promise.all([server(true), server(false)]);
    try {
      for (const request of requests) {
        const options = {
          method: 'POST' as const,
          ...request,
          headers: { 'content-type': 'application/json' },
        };
        const [a, b] = await Promise.all([lazy.inject(options), eager.inject(options)]);
        expect({ url: request.url, status: a.statusCode, body: a.json() }).toEqual({
          url: request.url,
          status: b.statusCode,
          body: b.json(),
        });
      }
      // The cases above reach both outcomes: coerced success and refusals with ajv's message.
      const first = await lazy.inject({
        method: 'POST',
        url: '/things?limit=5',
        payload: { name: 'a', tags: 'one' },
      });
      expect(first.json()).toEqual({ name: 'a', limit: 5, tags: ['one'] });
      const refused = await lazy.inject({ method: 'POST', url: '/things', payload: { tags: [] } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toBe("body must have required property 'name'");
    } finally {
      await Promise.all([lazy.close(), eager.close()]);
    }
  });

  describe('the whole app', () => {
    let t: TestApp | undefined;
    afterAll(async () => t?.close());

    it('has no route whose schemas fail to compile (what the lazy start would only find on a request)', async () => {
      // Fastify compiles every schema in ready(); startTestApp awaits it and throws on the first error.
      t = await startTestApp({ eagerSchemas: true });
      expect(t.app.hasRoute({ method: 'GET', url: '/healthz' })).toBe(true);
    });
  });
});
