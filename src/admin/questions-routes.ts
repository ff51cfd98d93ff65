import { z } from 'zod';
import { QuestionsRepo } from '../store/questions-repo.js';
import { adminDocs, json } from './docs.js';
import type { AdminRoutes } from './routes.js';

/** `GET /questions/unanswered` query (also what the OpenAPI document shows). */
export const unansweredQuery = z
  .object({
    limit: z.coerce
      .number({ invalid_type_error: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be between 1 and 200')
      .max(200, 'limit must be between 1 and 200')
      .default(50),
    offset: z.coerce
      .number({ invalid_type_error: 'offset must be a number' })
      .int('offset must be a whole number')
      .min(0, 'offset must be 0 or more')
      .max(1_000_000, 'offset must be at most 1000000')
      .default(0),
  })
  .strict();

/** `GET /api/v1/questions/unanswered?limit=50&offset=0`: questions without an answer, newest first. */
export const questionsRoutes: AdminRoutes = (scope, services) => {
  const repo = new QuestionsRepo(services.store.db);
  const schema = adminDocs(
    'questions',
    'Questions the bot could not answer, newest first (phones masked)',
    {
      querystring: unansweredQuery,
      responses: { 200: json('A page of questions: total, limit, offset, items') },
    },
  );
  scope.get('/questions/unanswered', { schema }, async (req, reply) => {
    const parsed = unansweredQuery.safeParse(req.query ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const message =
        issue.code === 'unrecognized_keys'
          ? `Unknown query parameter ${issue.keys.join(', ')}: use limit and offset.`
          : issue.message;
      return reply.code(400).send({ error: 'Bad Request', message });
    }
    const { limit, offset } = parsed.data;
    const { total, items } = await repo.listUnanswered(limit, offset);
    return {
      total,
      limit,
      offset,
      items: items.map((q) => ({ ...q, askedAt: new Date(q.askedAt).toISOString() })),
    };
  });
};
