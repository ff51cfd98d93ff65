import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

/** Liveness, readiness and a few counters an operator can watch. */
export function registerHealth(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, ping] of [
      ['storage', () => services.store.ping()],
      ['coordination', () => services.coord.ping()],
    ] as const) {
      try {
        await withTimeout(ping(), 2000);
        checks[name] = 'ok';
      } catch {
        checks[name] = 'unreachable';
        ok = false;
      }
    }
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_req, reply) => {
    const inbox = await services.inboxRepo.counts();
    const outbox = await services.outboxRepo.depth();
    const lines = [
      '# HELP llw_inbox_events Inbound events by status.',
      '# TYPE llw_inbox_events gauge',
      ...Object.entries(inbox).map(([status, n]) => `llw_inbox_events{status="${status}"} ${n}`),
      '# HELP llw_webhook_rejected_total Webhook requests refused (bad signature, malformed).',
      '# TYPE llw_webhook_rejected_total counter',
      ...[...services.rejected].map(([key, n]) => {
        const [channel, reason] = key.split(':');
        return `llw_webhook_rejected_total{channel="${channel}",reason="${reason}"} ${n}`;
      }),
      '# HELP llw_platform_warnings_total Platform actions an operator must check (policy enforcement, app deauthorised).',
      '# TYPE llw_platform_warnings_total counter',
      ...[...services.warnings].map(([key, n]) => {
        const [channel, kind] = key.split(':');
        return `llw_platform_warnings_total{channel="${channel}",kind="${kind}"} ${n}`;
      }),
      '# HELP llw_outbox_messages Outbound messages in the outbox by status (pending, sending: the depth).',
      '# TYPE llw_outbox_messages gauge',
      ...Object.entries(outbox).map(
        ([status, n]) => `llw_outbox_messages{status="${status}"} ${n}`,
      ),
      ...services.metrics.render(),
    ];
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
