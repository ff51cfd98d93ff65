import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { requireBearer } from './auth.js';
import { nominationRoutes } from './nominations-routes.js';
import { questionsRoutes } from './questions-routes.js';
import { quizRoutes } from './quiz-routes.js';
import { registrationRoutes } from './registration-routes.js';
import { broadcastRoutes } from './broadcast-routes.js';

/** A group of admin routes (registrations, broadcasts, questions...), mounted under /api/v1. */
export type AdminRoutes = (scope: FastifyInstance, services: Services) => void | Promise<void>;

/** Every admin route group, in one list. */
const GROUPS: AdminRoutes[] = [
  (scope, services) => {
    scope.get('/status', async () => ({
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
  quizRoutes,
  nominationRoutes,
];

/** Mounts the admin API under /api/v1 behind the bearer token. */
export async function registerAdmin(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(
    async (scope) => {
      requireBearer(scope, services.config.adminToken ? [services.config.adminToken] : []);
      for (const group of GROUPS) await group(scope, services);
    },
    { prefix: '/api/v1' },
  );
}
