import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ADMIN_TAGS, documentedSchema } from '../admin/docs.js';

/** What the documentation needs of a route: where it is and its schema. */
interface DocumentedRoute {
  method: RouteOptions['method'];
  url: string;
  schema: NonNullable<RouteOptions['schema']>;
}

/** Answer headers that belong to the inner request, not to the one being answered. */
const HOP_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive']);

/**
 * OpenAPI 3 for the admin API, generated from the routes' own schemas: the document at
 * `/docs/json` (and `/docs/yaml`), Swagger UI at `/docs`. Must be registered before the routes.
 * Only tagged routes (the `/api/v1` ones) are listed; the webhooks belong to the platforms.
 *
 * Nothing of it is loaded at start-up: this only notes each tagged route as it is added. The
 * first request under `/docs` builds a documentation app of its own (@fastify/swagger and its UI,
 * the noted routes with their zod schemas turned into JSON schemas) and every `/docs` request is
 * answered from it. That keeps about 70 ms, and the `yaml` and `zod-to-json-schema` modules, out of
 * every start, for pages an organiser may never open.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (route.schema?.tags)
      routes.push({ method: route.method, url: route.url, schema: route.schema });
  });
  let docs: Promise<FastifyInstance> | undefined;
  const answer = async (req: FastifyRequest, reply: FastifyReply) => {
    docs ??= documentationApp(routes).catch((err: unknown) => {
      docs = undefined; // the next request tries again
      throw err;
    });
    const res = await (
      await docs
    ).inject({
      // A HEAD here is the GET's twin; the documentation app has GET routes only, and Fastify
      // leaves the body out of this answer.
      method: 'GET',
      url: req.url,
      headers: pick(req.headers, ['accept', 'if-none-match', 'if-modified-since', 'range']),
    });
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    }
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  app.get('/docs', answer);
  app.get('/docs/*', answer);
}

function pick(headers: FastifyRequest['headers'], names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** A Fastify app that serves only the documentation of `routes` (their handlers never run). */
async function documentationApp(routes: readonly DocumentedRoute[]): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ]);
  // HEAD twins of the app's routes were noted as routes of their own: not added again.
  const docs = Fastify({ exposeHeadRoutes: false });
  // The schemas are documentation here: nothing is validated or serialized against them.
  docs.setValidatorCompiler(() => () => true);
  docs.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await docs.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lifelong Learning Week chatbot: admin API',
        description:
          'Registrations, broadcasts, questions and the FAQ, campaigns, the results report, the quiz, nominations and accounts. Send `Authorization: Bearer <token>` (ADMIN_TOKEN or a token made under Accounts). Every error is `{"error", "message"}`; a 400 names the field.',
        version: '1',
      },
      tags: ADMIN_TAGS,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      },
    },
    hideUntagged: true,
  });
  await docs.register(swaggerUi, { routePrefix: '/docs' });
  const schemas = await Promise.all(routes.map((route) => documentedSchema(route.schema)));
  routes.forEach((route, i) => {
    docs.route({ method: route.method, url: route.url, schema: schemas[i]!, handler: () => null });
  });
  await docs.ready();
  return docs;
}
