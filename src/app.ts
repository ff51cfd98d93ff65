import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { WebhookContext } from './core/channel.js';
import type { Services } from './services.js';
import { registerAdmin } from './admin/routes.js';
import { registerErrorHandling } from './web/errors.js';
import { registerHealth } from './web/health.js';
import { registerSecurityHeaders } from './web/security.js';
import rateLimit from '@fastify/rate-limit';
import { registerDashboard } from './dashboard/plugin.js';

/** Builds the HTTP server (never listens: main.ts does, tests use `inject`). */
export async function buildApp(
  config: Readonly<Config>,
  services: Services,
): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = services.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
  });
  let closing = false;
  app.addHook('onRequest', async (req, reply) => {
    if (closing && req.url.startsWith('/webhooks/')) {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'Service Unavailable', message: 'Shutting down; retry shortly.' });
    }
    return undefined;
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  // Only where a route asks for it (failed sign-ins), never on webhooks.
  await app.register(rateLimit, { global: false });
  registerHealth(app, services);
  await registerAdmin(app, services);
  await registerDashboard(app, services);

  const context: WebhookContext = {
    inbox: services.inbox,
    log: services.log,
    welcome: (locale) => services.welcome(locale),
    countRejected: (channel, reason) => {
      const key = `${channel}:${reason}`;
      services.rejected.set(key, (services.rejected.get(key) ?? 0) + 1);
    },
  };
  for (const channel of services.channels.values()) {
    // Each channel in its own scope: a raw-body parser or hook cannot leak onto other routes.
    await app.register(async (scope) => {
      await channel.registerRoutes(scope, {
        ...context,
        log: services.log.child({ channel: channel.id }),
      });
    });
  }
  return app;
}
