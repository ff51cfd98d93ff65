import type { FastifyInstance, FastifyReply } from 'fastify';
import { broadcastBody, parseBroadcastInput } from '../broadcast/input.js';
import { BroadcastStateError, NotFoundError } from '../broadcast/service.js';
import { InvalidInputError } from '../core/errors.js';
import type { DashboardContext } from '../dashboard/context.js';
import type { Services } from '../services.js';
import { adminDocs, ID_PARAM, json, refusal, type JsonSchema } from './docs.js';

function idOf(raw: string): number | undefined {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

/** Known refusals answer with their status and message; anything else goes to the error handler. */
async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidInputError)
      return reply.code(400).send({ error: 'Bad Request', message: error.message });
    if (error instanceof NotFoundError)
      return reply.code(404).send({ error: 'Not Found', message: error.message });
    if (error instanceof BroadcastStateError)
      return reply.code(409).send({ error: 'Conflict', message: error.message });
    throw error;
  }
}

/** Broadcasts: create (or dry-run), queue a draft, follow, cancel, list. */
export function broadcastRoutes(
  scope: FastifyInstance,
  services: Services,
  { desk }: DashboardContext,
): void {
  const { broadcasts } = services;

  const create = adminDocs(
    'broadcasts',
    'Create a broadcast (dryRun: a draft that sends nothing)',
    {
      body: broadcastBody,
      responses: {
        201: json('Created: id, status, startsAt and the plan (how many recipients, by channel)'),
        409: refusal('The broadcast cannot be created in this state'),
      },
    },
  );
  scope.post('/broadcasts', { schema: create }, async (req, reply) => {
    const parsed = parseBroadcastInput(req.body);
    if (!parsed.ok) return reply.code(400).send({ error: 'Bad Request', message: parsed.message });
    return answer(reply, async () => {
      const { broadcast, plan, startsAt } = await desk.create(parsed.input, req.adminActor!);
      return reply.code(201).send({
        id: broadcast.id,
        status: broadcast.status,
        startsAt: new Date(startsAt).toISOString(),
        plan,
      });
    });
  });

  const listQuery = {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: 200,
        default: 50,
        description: 'how many, newest first',
      },
    },
  };
  const listDocs = adminDocs('broadcasts', 'Recent broadcasts', {
    querystring: listQuery,
    responses: { 200: json('The broadcasts, newest first') },
  });
  scope.get('/broadcasts', { schema: listDocs }, async (req, reply) => {
    const raw = (req.query as { limit?: string }).limit ?? '50';
    const limit = /^\d{1,3}$/.test(raw) ? Math.min(Number(raw), 200) : undefined;
    if (!limit)
      return reply.code(400).send({ error: 'Bad Request', message: 'limit must be 1..200.' });
    return { broadcasts: await broadcasts.list(limit) };
  });

  const byId = (summary: string, ok: string, conflict?: string) => {
    const responses: Record<number, JsonSchema> = {
      200: json(ok),
      404: refusal('No such broadcast'),
    };
    if (conflict) responses[409] = refusal(conflict);
    return { schema: adminDocs('broadcasts', summary, { params: ID_PARAM, responses }) };
  };
  scope.get<{ Params: { id: string } }>(
    '/broadcasts/:id',
    byId("A broadcast's report", 'Status, plan and delivery counts'),
    async (req, reply) => {
      const id = idOf(req.params.id);
      const report = id === undefined ? undefined : await broadcasts.report(id);
      if (!report)
        return reply
          .code(404)
          .send({ error: 'Not Found', message: `No broadcast ${req.params.id}.` });
      return report;
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/broadcasts/:id/send',
    byId('Queue a draft', 'Queued: id, status, startsAt, plan', 'It is not a draft'),
    async (req, reply) => {
      const id = idOf(req.params.id);
      if (id === undefined)
        return reply
          .code(404)
          .send({ error: 'Not Found', message: `No broadcast ${req.params.id}.` });
      return answer(reply, async () => {
        const { broadcast, plan, startsAt } = await desk.send(id, req.adminActor!);
        return {
          id: broadcast.id,
          status: broadcast.status,
          startsAt: new Date(startsAt).toISOString(),
          plan,
        };
      });
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/broadcasts/:id/cancel',
    byId('Cancel a broadcast', 'The report after cancelling', 'It has finished already'),
    async (req, reply) => {
      const id = idOf(req.params.id);
      if (id === undefined)
        return reply
          .code(404)
          .send({ error: 'Not Found', message: `No broadcast ${req.params.id}.` });
      return answer(reply, async () => {
        await desk.cancel(id, req.adminActor!);
        return broadcasts.report(id);
      });
    },
  );
}
