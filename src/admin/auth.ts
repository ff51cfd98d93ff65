import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Actor } from '../dashboard/accounts.js';
import { can, type Permission } from '../dashboard/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin token's actor, once the bearer token or the dashboard session was checked. */
    adminActor?: Actor;
  }
}

/** Counts a failed sign-in of this client; true when it has failed too often (refuse it). */
export type FailureLimiter = (req: FastifyRequest, record: boolean) => Promise<boolean>;

/** Builds the failed-sign-in limiter over @fastify/rate-limit (per client address). */
export function failureLimiter(
  app: FastifyInstance,
  max: number,
  windowMs: number,
): FailureLimiter {
  const check = app.createRateLimit({
    max,
    timeWindow: windowMs,
    keyGenerator: (req) => `signin:${req.ip}`,
  });
  return async (req, record) => {
    const state = await check(req, { increment: record });
    // A check without counting reports the limit reached once `max` failures are counted.
    return !state.isAllowed && (state.isExceeded || (!record && state.remaining <= 0));
  };
}

/**
 * The permission each admin API route needs ("METHOD /route" under /api/v1). A GET not listed
 * needs `view`; any other method not listed is for owners only, so a new route is closed until
 * it is listed here.
 */
const ROUTE_PERMISSIONS: Record<string, Permission> = {
  'GET /registrations': 'export',
  'POST /registrations/:id/attendance': 'attendance',
  'POST /broadcasts': 'compose',
  'POST /broadcasts/plan': 'compose',
  'POST /broadcasts/:id/send': 'send',
  'POST /broadcasts/:id/cancel': 'send',
  'POST /broadcasts/:id/retry': 'send',
  'POST /broadcasts/:id/approve': 'approve',
  'POST /questions/:id/answer': 'answer',
  'POST /faq/variants': 'faq',
  'POST /faq/entries': 'faq',
  'GET /tokens': 'tokens',
  'POST /tokens': 'tokens',
  'POST /tokens/:id/revoke': 'tokens',
  // Lists with personal data are exports; organisers' own records are content.
  'GET /nominations': 'export',
  'GET /quiz/results': 'export',
  'POST /nominations/:id/review': 'content',
  'PUT /report/draft': 'content',
  'POST /report/snapshots': 'content',
  'POST /campaigns': 'content',
  'POST /campaigns/:id/retire': 'content',
  'POST /events': 'content',
  'PUT /events/:id': 'content',
  'DELETE /events/:id': 'content',
  'PUT /contacts': 'content',
  'POST /courses': 'content',
  'PATCH /courses/:id': 'content',
  'POST /courses/:id/sessions': 'content',
  'PATCH /courses/:id/sessions/:sessionId': 'content',
  'DELETE /courses/:id/sessions/:sessionId': 'content',
};

function permissionFor(req: FastifyRequest, prefix: string): Permission | 'owner' {
  const route = (req.routeOptions.url ?? '').slice(prefix.length);
  const listed = ROUTE_PERMISSIONS[`${req.method} ${route}`];
  if (listed) return listed;
  return req.method === 'GET' || req.method === 'HEAD' ? 'view' : 'owner';
}

function unauthorized(reply: FastifyReply, message: string, error?: 'invalid_token') {
  return reply
    .code(401)
    .header(
      'www-authenticate',
      `Bearer realm="admin"${error ? `, error="${error}", error_description="${message}"` : ''}`,
    )
    .send({ error: 'Unauthorized', message });
}

/**
 * Requires `Authorization: Bearer <token>` (scheme in any case, RFC 7235) on every route of the
 * scope: missing or wrong -> 401 with WWW-Authenticate (RFC 6750), a valid token without the
 * route's permission -> 403, too many wrong tokens from one client -> 429.
 */
export function requireBearer(
  scope: FastifyInstance,
  accounts: Accounts,
  limiter: FailureLimiter,
  prefix: string,
): void {
  scope.addHook('onRequest', async (req, reply) => {
    const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    if (!(await accounts.anyLive()))
      return unauthorized(
        reply,
        'The admin API is off: set ADMIN_TOKEN (16+ characters) and restart, or sign in at /admin and create a token under Accounts.',
      );
    if (!match)
      return unauthorized(reply, 'Send an admin token as "Authorization: Bearer <token>".');
    if (await limiter(req, false))
      return reply
        .code(429)
        .header('retry-after', '60')
        .send({ error: 'Too Many Requests', message: 'Too many wrong tokens; wait a minute.' });
    const actor = await accounts.verify(match[1]!);
    if (!actor) {
      await limiter(req, true);
      return unauthorized(reply, 'The admin token is not valid.', 'invalid_token');
    }
    req.adminActor = actor;
    const needed = permissionFor(req, prefix);
    const allowed = needed === 'owner' ? actor.role === 'owner' : can(actor.role, needed);
    if (!allowed)
      return reply.code(403).send({
        error: 'Forbidden',
        message: `The token "${actor.name}" (${actor.role}) may not do this (needs ${needed}).`,
      });
    return undefined;
  });
}
