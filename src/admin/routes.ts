import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { requireBearer } from './auth.js';
import { adminDocs } from './docs.js';
import { nominationRoutes } from './nominations-routes.js';
import { questionsRoutes } from './questions-routes.js';
import { quizRoutes } from './quiz-routes.js';
import { registrationRoutes } from './registration-routes.js';
import { broadcastRoutes } from './broadcast-routes.js';
import { campaignRoutes } from './campaign-routes.js';
import { reportRoutes } from './report-routes.js';
import { organiserRoutes } from './organiser-routes.js';
import { contentRoutes } from './content-routes.js';
import { courseRoutes } from './course-routes.js';
import { dashboardContext, type DashboardContext } from '../dashboard/context.js';

/** A group of admin routes (registrations, broadcasts, questions...), mounted under /api/v1. */
export type AdminRoutes = (
  scope: FastifyInstance,
  services: Services,
  context: DashboardContext,
) => void | Promise<void>;

/** Every admin route group, in one list. */
const GROUPS: AdminRoutes[] = [
  (scope, services) => {
    const schema = adminDocs('status', 'Channels, storage and counts');
    scope.get('/status', { schema }, async () => ({
      channels: [...services.channels.keys()],
      storage: services.store.dialect,
      coordination: services.coord.kind,
      contacts: await services.contacts.count(),
      inbox: await services.inboxRepo.counts(),
    }));
  },
  questionsRoutes,
  registrationRoutes,
  broadcastRoutes,
  campaignRoutes,
  reportRoutes,
  quizRoutes,
  nominationRoutes,
];

/** Groups whose routes Fastify validates against their JSON schemas (defaults, coercion). */
const SCHEMA_VALIDATED: AdminRoutes[] = [organiserRoutes, contentRoutes, courseRoutes];

/**
 * Response schemas are documentation: answers go out as plain JSON, so a documented shape that
 * lags behind a route can never drop a field or turn a value into something else.
 */
function documentedResponsesOnly(scope: FastifyInstance): void {
  scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/**
 * Where the first number that is not finite sits ("querystring/offset"): Ajv coerces "1e309" to
 * Infinity and lets it pass `maximum`, and JSON.parse reads 1e309 as Infinity too.
 */
export function firstInfinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null || depth > 50) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = firstInfinite(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Mounts the admin API under /api/v1 behind the bearer token. */
export async function registerAdmin(app: FastifyInstance, services: Services): Promise<void> {
  const context = await dashboardContext(app, services);
  await app.register(
    async (scope) => {
      requireBearer(scope, context.accounts, context.failures, '/api/v1');
      // Route schemas document the API (OpenAPI at /docs); zod in each route validates.
      scope.setValidatorCompiler(() => () => true);
      documentedResponsesOnly(scope);
      for (const group of GROUPS) await group(scope, services, context);
    },
    { prefix: '/api/v1' },
  );
  // A sibling scope keeps Fastify's own validator for the groups that rely on it.
  await app.register(
    async (scope) => {
      requireBearer(scope, context.accounts, context.failures, '/api/v1');
      documentedResponsesOnly(scope);
      scope.addHook('preHandler', async (req, reply) => {
        const where = firstInfinite(req.query, 'querystring') ?? firstInfinite(req.body, 'body');
        if (where)
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: `${where} must be a finite number` });
        return undefined;
      });
      for (const group of SCHEMA_VALIDATED) await group(scope, services, context);
    },
    { prefix: '/api/v1' },
  );
}
