import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { WebhookContext } from './core/channel.js';
import type { Services } from './services.js';
import { registerAdmin } from './admin/routes.js';
import { registerErrorHandling } from './web/errors.js';
import { registerHealth } from './web/health.js';

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
  app.addHook('onResponse', async (req, reply) => {
    if (!req.url.startsWith('/webhooks/')) return;
    const channel = req.url.slice('/webhooks/'.length).split(/[/?]/)[0] ?? '';
    const status = reply.statusCode;
    services.metrics.observe(
      'llw_webhook_duration_seconds',
      'Webhook requests from arrival to answer, by channel and outcome.',
      {
        channel,
        outcome:
          status < 300
            ? 'accepted'
            : status === 503
              ? 'unavailable'
              : status < 500
                ? 'refused'
                : 'error',
      },
      reply.elapsedTime / 1000,
    );
  });
  registerErrorHandling(app);
  registerHealth(app, services);
  await registerAdmin(app, services);

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
