import type { FastifyReply } from 'fastify';
import { BroadcastStateError, NotFoundError } from '../broadcast/service.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../broadcast/model.js';
import { parseBroadcastInput } from '../broadcast/input.js';
import { ROLES, isRole } from '../dashboard/roles.js';
import { adminDocs, idParam, json, refusal } from './docs.js';
import type { AdminRoutes } from './routes.js';

const noBroadcast = refusal('No such broadcast');
const wrongState = refusal('The broadcast is not in a state that allows this');

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
      schema: adminDocs('broadcasts', 'How many a segment reaches, by channel (sends nothing)', {
        body: {
          type: 'object',
          required: ['segment'],
          properties: {
            segment: {
              type: 'object',
              description: 'as in POST /broadcasts: channels, provinces, topics, languages...',
            },
          },
        },
        responses: { 200: json('The plan: recipients by channel') },
      }),
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
    {
      schema: adminDocs('broadcasts', 'Approve a broadcast waiting for approval', {
        params: idParam('broadcast'),
        responses: { 200: json('id, status, startsAt'), 404: noBroadcast, 409: wrongState },
      }),
    },
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
    {
      schema: adminDocs('broadcasts', 'Queue the failed deliveries of a broadcast again', {
        params: idParam('broadcast'),
        responses: { 200: json('requeued: how many'), 404: noBroadcast, 409: wrongState },
      }),
    },
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
      schema: adminDocs('broadcasts', "A broadcast's recipients and their delivery status", {
        params: idParam('broadcast'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...DELIVERY_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
          },
        },
        responses: { 200: json('items: recipients (phones masked) with their status') },
      }),
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
      schema: adminDocs('registrations', 'Mark whether a registrant attended', {
        params: idParam('registration'),
        body: {
          type: 'object',
          required: ['attended'],
          properties: { attended: { type: 'boolean' } },
        },
        responses: { 200: json('id, attended'), 404: refusal('No such registration') },
      }),
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
      schema: adminDocs('questions', 'Answer an unanswered question on its channel', {
        params: idParam('question'),
        body: {
          type: 'object',
          required: ['text'],
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 2000, description: 'the reply' },
          },
        },
        responses: {
          200: json('sent: true'),
          404: refusal('No such question'),
          409: refusal('Not sent: answered already, or the reply window has closed'),
          502: refusal('The platform refused the message'),
        },
      }),
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

  const faqDocs = adminDocs('faq', 'FAQ entries with their versions', {
    responses: { 200: json('entries') },
  });
  scope.get('/faq', { schema: faqDocs }, async () => ({
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
      schema: adminDocs('faq', 'Add a question variant to an FAQ entry', {
        body: {
          type: 'object',
          required: ['entryId', 'lang', 'question', 'version'],
          properties: {
            entryId: { type: 'string', minLength: 1, maxLength: 100 },
            lang: { type: 'string', enum: ['vi', 'en'] },
            question: { type: 'string', minLength: 2, maxLength: 300 },
            version: {
              type: 'integer',
              minimum: 0,
              description: 'the entry version this edit started from',
            },
            questionId: {
              type: 'integer',
              minimum: 1,
              description: 'an unanswered question this resolves',
            },
          },
        },
        responses: {
          200: json('entryId and its new version'),
          404: refusal('No such FAQ entry'),
          409: refusal('The entry changed meanwhile; reload'),
        },
      }),
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
      schema: adminDocs('faq', "An FAQ entry's changes", {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', maxLength: 100, description: 'FAQ entry id' } },
        },
        responses: { 200: json('changes, newest first') },
      }),
    },
    async (req) => ({ changes: await faq.history(req.params.id) }),
  );

  const tokensDocs = adminDocs('accounts', 'API tokens (never the secrets)', {
    responses: { 200: json('tokens') },
  });
  scope.get('/tokens', { schema: tokensDocs }, async () => ({
    tokens: await accounts.listTokens(),
  }));

  scope.post<{ Body: { name: string; role: string } }>(
    '/tokens',
    {
      schema: adminDocs('accounts', 'Create a token (its secret is shown once)', {
        body: {
          type: 'object',
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', minLength: 2, maxLength: 60, pattern: '^[\\p{L}\\p{N} ._-]+$' },
            role: { type: 'string', enum: [...ROLES] },
          },
        },
        responses: {
          201: json('name, role and the token (only now)'),
          409: refusal('The name is taken'),
        },
      }),
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
    {
      schema: adminDocs('accounts', 'Revoke a token (its sessions end)', {
        params: idParam('token'),
        responses: { 200: json('revoked: true'), 404: refusal('No such revocable token') },
      }),
    },
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
      schema: adminDocs('accounts', 'The audit log, newest first', {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            // Past 2^63 SQLite refuses the OFFSET; no log is that long anyway.
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
          },
        },
        responses: { 200: json('A page of the audit log') },
      }),
    },
    async (req) => accounts.auditPage(req.query.limit, req.query.offset),
  );
};
