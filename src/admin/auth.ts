import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when `presented` equals one of the tokens (constant time, whatever the lengths). */
export function tokenMatches(presented: string, tokens: readonly string[]): boolean {
  const p = digest(presented);
  let ok = false;
  for (const token of tokens) ok = timingSafeEqual(p, digest(token)) || ok;
  return ok;
}

/** Requires `Authorization: Bearer <token>` on every route of the scope. */
export function requireBearer(scope: FastifyInstance, tokens: readonly string[]): void {
  scope.addHook('onRequest', async (req, reply) => {
    if (tokens.length === 0) {
      return reply.code(401).send({
        error: 'Unauthorized',
        message: 'The admin API is off: set ADMIN_TOKEN (16+ characters) and restart.',
      });
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) {
      return reply.code(401).send({
        error: 'Unauthorized',
        message: 'Send the admin token as "Authorization: Bearer <token>".',
      });
    }
    if (!tokenMatches(match[1]!, tokens)) {
      return reply.code(403).send({ error: 'Forbidden', message: 'The admin token is not valid.' });
    }
    return undefined;
  });
}
