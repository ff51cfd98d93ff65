import type { FastifyReply } from 'fastify';
import { BroadcastStateError, NotFoundError } from '../broadcast/service.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../broadcast/model.js';
import { parseBroadcastInput } from '../broadcast/input.js';
import { ROLES, isRole } from '../dashboard/roles.js';
import type { AdminRoutes } from './routes.js';

const id = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id } } as const;
const error = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

async function refusals<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof NotFoundError)
      return reply.code(404).send({ error: 'Not Found', message: e.message });
    if (e instanceof BroadcastStateError)
      return reply.code(409).send({ error: 'Conflict', message: e.message });
    throw e;
  }
}

/**
 * Organiser operations of the dashboard, also as JSON: plan a segment, approve and retry
 * broadcasts, recipients, attendance, answering a question, FAQ variants, tokens, the audit log.
 */
export const organiserRoutes: AdminRoutes = (scope, services, context) => {
  const { desk, ops, faq, accounts } = context;

  scope.post(
    '/broadcasts/plan',
    {
      schema: {
        body: {
          type: 'object',
          required: ['segment'],
          properties: { segment: { type: 'object' } },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { segment: unknown };
      const parsed = parseBroadcastInput({ message: { vi: 'x' }, segment: body.segment });
      if (!parsed.ok)
        return reply.code(400).send({ error: 'Bad Request', message: parsed.message });
      return { plan: await services.broadcasts.plan(parsed.input.segment) };
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/broadcasts/:id/approve',
    { schema: { params: idParams, response: { 409: error, 404: error } } },
    async (req, reply) =>
      refusals(reply, async () => {
        const { broadcast, startsAt } = await desk.approve(Number(req.params.id), req.adminActor!);
        return {
          id: broadcast.id,
          status: broadcast.status,
          startsAt: new Date(startsAt).toISOString(),
        };
      }),
  );

  scope.post<{ Params: { id: string } }>(
    '/broadcasts/:id/retry',
    { schema: { params: idParams } },
    async (req, reply) =>
      refusals(reply, async () => ({
        requeued: await desk.retry(Number(req.params.id), req.adminActor!),
      })),
  );

  scope.get<{
    Params: { id: string };
    Querystring: { status?: DeliveryStatus; limit: number; offset: number };
  }>(
    '/broadcasts/:id/recipients',
    {
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...DELIVERY_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
          },
        },
      },
    },
    async (req) => ({
      items: await services.broadcasts.deliveries.recipients(Number(req.params.id), {
        ...(req.query.status ? { status: req.query.status } : {}),
        limit: req.query.limit,
        offset: req.query.offset,
      }),
    }),
  );

  scope.post<{ Params: { id: string }; Body: { attended: boolean } }>(
    '/registrations/:id/attendance',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['attended'],
          properties: { attended: { type: 'boolean' } },
        },
      },
    },
    async (req, reply) => {
      const ok = await ops.attendance(Number(req.params.id), req.body.attended, req.adminActor!);
      if (!ok)
        return reply
          .code(404)
          .send({ error: 'Not Found', message: `No registration ${req.params.id}.` });
      return { id: Number(req.params.id), attended: req.body.attended };
    },
  );

  scope.post<{ Params: { id: string }; Body: { text: string } }>(
    '/questions/:id/answer',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
    },
    async (req, reply) => {
      const outcome = await ops.answer(Number(req.params.id), req.body.text, req.adminActor!);
      if (outcome.ok) return { sent: true };
      const status =
        outcome.reason === 'unknown-question' ? 404 : outcome.reason === 'send-failed' ? 502 : 409;
      return reply.code(status).send({
        error: status === 404 ? 'Not Found' : status === 502 ? 'Bad Gateway' : 'Conflict',
        message: `Not sent: ${outcome.reason}${'window' in outcome ? ` (${outcome.window})` : ''}${'code' in outcome ? ` (${outcome.code})` : ''}.`,
      });
    },
  );

  scope.get('/faq', async () => ({
    entries: faq.entries().map((e) => ({ ...e, version: faq.version(e.id) })),
  }));

  scope.post<{
    Body: {
      entryId: string;
      lang: 'vi' | 'en';
      question: string;
      version: number;
      questionId?: number;
    };
  }>(
    '/faq/variants',
    {
      schema: {
        body: {
          type: 'object',
          required: ['entryId', 'lang', 'question', 'version'],
          properties: {
            entryId: { type: 'string', minLength: 1, maxLength: 100 },
            lang: { type: 'string', enum: ['vi', 'en'] },
            question: { type: 'string', minLength: 2, maxLength: 300 },
            version: { type: 'integer', minimum: 0 },
            questionId: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const result = await faq.addVariant(
        b.entryId,
        b.lang,
        b.question,
        req.adminActor!.name,
        b.version,
      );
      if (!result.ok) {
        const status =
          result.kind === 'unknown-entry' ? 404 : result.kind === 'conflict' ? 409 : 400;
        return reply.code(status).send({
          error: status === 404 ? 'Not Found' : status === 409 ? 'Conflict' : 'Bad Request',
          message:
            result.kind === 'conflict'
              ? `The entry changed meanwhile (now version ${result.current}); reload and try again.`
              : result.kind === 'invalid'
                ? `${result.field}: ${result.message}.`
                : `No FAQ entry "${b.entryId}".`,
        });
      }
      await accounts.audit(req.adminActor!, 'faq.add-variant', {
        entry: b.entryId,
        version: result.version,
      });
      if (b.questionId) await ops.resolve(b.questionId, 'faq', req.adminActor!);
      return { entryId: b.entryId, version: result.version };
    },
  );

  scope.get<{ Params: { id: string } }>(
    '/faq/:id/history',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } } },
      },
    },
    async (req) => ({ changes: await faq.history(req.params.id) }),
  );

  scope.get('/tokens', async () => ({ tokens: await accounts.listTokens() }));

  scope.post<{ Body: { name: string; role: string } }>(
    '/tokens',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', minLength: 2, maxLength: 60, pattern: '^[\\p{L}\\p{N} ._-]+$' },
            role: { type: 'string', enum: [...ROLES] },
          },
        },
      },
    },
    async (req, reply) => {
      if (!isRole(req.body.role))
        return reply.code(400).send({ error: 'Bad Request', message: 'role: unknown.' });
      const result = await accounts.createToken(
        req.body.name.trim(),
        req.body.role,
        req.adminActor!,
      );
      if (!result.ok)
        return reply
          .code(409)
          .send({ error: 'Conflict', message: `name: "${req.body.name}" is taken.` });
      await accounts.audit(req.adminActor!, 'token.create', {
        name: req.body.name,
        role: req.body.role,
      });
      return reply
        .code(201)
        .send({ name: req.body.name, role: req.body.role, token: result.token });
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/tokens/:id/revoke',
    { schema: { params: idParams } },
    async (req, reply) => {
      if (!(await accounts.revokeToken(Number(req.params.id))))
        return reply
          .code(404)
          .send({ error: 'Not Found', message: `No revocable token ${req.params.id}.` });
      await accounts.audit(req.adminActor!, 'token.revoke', { token: Number(req.params.id) });
      return { revoked: true };
    },
  );

  scope.get<{ Querystring: { limit: number; offset: number } }>(
    '/audit',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (req) => accounts.auditPage(req.query.limit, req.query.offset),
  );
};
