import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import type { Config } from './config.js';
import { lazyChildLogger } from './logger.js';
import type { Logger } from 'pino';
import type { WebhookContext } from './core/channel.js';
import type { Services } from './services.js';
import { mountChannel, registerWebhookHooks } from './core/webhook.js';
import { registerAdmin } from './admin/routes.js';
import { registerErrorHandling } from './web/errors.js';
import { registerHealth } from './web/health.js';
import { registerOpenApi } from './web/openapi.js';

/** A caller's request id when it is a short plain token (never logged raw otherwise). */
function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(header)
    ? header
    : randomUUID();
}
import { lazySerializers, lazyValidators } from './web/lazy-schemas.js';
import { registerSecurityHeaders } from './web/security.js';
import rateLimit from '@fastify/rate-limit';
import { registerDashboard } from './dashboard/plugin.js';

/** Options of `buildApp` beyond config and services. */
export interface AppOptions {
  /** Sees every route as it is added (tests use it to hold the OpenAPI document to all of them). */
  onRoute?: (route: RouteOptions) => void;
  /** Compile every route schema while starting, as Fastify does by default (a test checks them). */
  eagerSchemas?: boolean;
}

/** Builds the HTTP server (never listens: main.ts does, tests use `inject`). */
export async function buildApp(
  config: Readonly<Config>,
  services: Services,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = services.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    // Every log line of a request carries `reqId`: the load balancer's X-Request-Id when it is a
    // plain token, else a fresh UUID; the response echoes it so a report can be traced.
    genReqId: (req) => requestId(req.headers['x-request-id']),
    // Request loggers are bound only when a request writes a line (most webhooks write none).
    childLoggerFactory: (parent, bindings, opts) =>
      lazyChildLogger(parent as Logger, bindings, opts),
    ...(options.eagerSchemas
      ? {}
      : {
          schemaController: {
            compilersFactory: {
              buildValidator: lazyValidators(),
              buildSerializer: lazySerializers(),
            },
          },
        }),
  });
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  registerWebhookHooks(app, services.metrics);
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  // Only where a route asks for it (failed sign-ins), never on webhooks.
  await app.register(rateLimit, { global: false });
  registerHealth(app, services);
  registerOpenApi(app);
  await registerAdmin(app, services);
  await registerDashboard(app, services);

  const context: WebhookContext = {
    inbox: services.inbox,
    log: services.log,
    welcome: (locale) => services.welcome(locale),
    linkWelcome: (channel, userId, linkValue, locale) =>
      services.linkWelcome(channel, userId, linkValue, locale),
    countRejected: (channel, reason) => {
      const key = `${channel}:${reason}`;
      services.rejected.set(key, (services.rejected.get(key) ?? 0) + 1);
    },
    countWarning: (channel, kind) => {
      const key = `${channel}:${kind}`;
      services.warnings.set(key, (services.warnings.get(key) ?? 0) + 1);
    },
  };
  for (const channel of services.channels.values()) {
    // Each channel in its own scope: a raw-body parser or hook cannot leak onto other routes.
    await app.register(async (scope) => {
      await mountChannel(scope, channel, {
        ...context,
        log: services.log.child({ channel: channel.id }),
      });
    });
  }
  return app;
}
