import { z } from 'zod';
import { DECISIONS, type Nomination } from '../nominations/service.js';
import { matchProvince, provinceName } from '../registration/provinces.js';
import { isoLocal } from '../registration/time.js';
import type { Services } from '../services.js';
import { adminDocs, empty, idParam as idDocs, json, refusal } from './docs.js';
import type { AdminRoutes } from './routes.js';

const listQuery = z
  .object({
    status: z.enum(['pending', 'accepted', 'rejected', 'commended']).optional(),
    province: z.string().min(1).max(100).optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

const reviewBody = z
  .object({
    decision: z.enum(Object.keys(DECISIONS) as [keyof typeof DECISIONS]),
    note: z.string().max(1000).optional(),
  })
  .strict();

const idParam = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

function problem(error: z.ZodError, where: string, allowed: string): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return `Unknown ${where} ${issue.keys.join(', ')}; use ${allowed}.`;
  return `${where} ${issue.path.join('.') || '(body)'}: ${issue.message}.`;
}

function view(services: Services, n: Nomination) {
  const tz = services.config.timezone;
  return {
    id: n.id,
    status: n.status,
    nomineeName: n.nomineeName,
    commune: n.commune,
    provinceId: n.province,
    province: provinceName(n.province, 'vi'),
    story: n.story,
    contact: n.contact,
    channel: n.channel,
    language: n.locale,
    nomineeAgreed: n.nomineeAgreed,
    consentId: n.consentId,
    createdAt: isoLocal(n.createdAt, tz),
    reviewedAt: n.reviewedAt === null ? null : isoLocal(n.reviewedAt, tz),
    reviewNote: n.reviewNote,
  };
}

const notFound = (id: number) => ({
  error: 'Not Found',
  message: `There is no nomination ${id} (it may have been erased).`,
});

/** Admin API of nominations: list, review (accept, reject, commend) and erase one. */
export const nominationRoutes: AdminRoutes = (scope, services) => {
  const nominations = services.nominations;

  const gone = refusal('No such nomination (it may have been erased)');
  const listDocs = adminDocs('nominations', 'Nominations, newest first, by status and province', {
    querystring: listQuery,
    responses: { 200: json('A page of nominations: items, page, pageSize, total') },
  });
  scope.get('/nominations', { schema: listDocs }, async (req, reply) => {
    const parsed = listQuery.safeParse(req.query ?? {});
    if (!parsed.success)
      return reply.code(400).send({
        error: 'Bad Request',
        message: problem(parsed.error, 'query parameter', 'status, province, page, pageSize'),
      });
    const q = parsed.data;
    let province: string | undefined;
    if (q.province) {
      const match = matchProvince(q.province);
      if (match.kind !== 'found')
        return reply.code(400).send({
          error: 'Bad Request',
          message: `Query parameter province: "${q.province}" is not one of the 34 provincial-level units.`,
        });
      province = match.province.id;
    }
    const { items, total } = await nominations.list(
      { ...(q.status ? { status: q.status } : {}), ...(province ? { province } : {}) },
      { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
    );
    return {
      items: items.map((n) => view(services, n)),
      page: q.page,
      pageSize: q.pageSize,
      total,
    };
  });

  const reviewDocs = adminDocs('nominations', 'Accept, reject or commend a nomination', {
    params: idDocs('nomination'),
    body: reviewBody,
    responses: { 200: json('The nomination as reviewed'), 404: gone },
  });
  scope.post('/nominations/:id/review', { schema: reviewDocs }, async (req, reply) => {
    const id = idParam.safeParse(req.params);
    if (!id.success)
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: 'The nomination id must be a positive number.' });
    const body = reviewBody.safeParse(req.body ?? {});
    if (!body.success)
      return reply.code(400).send({
        error: 'Bad Request',
        message: problem(body.error, 'field', 'decision (accept, reject, commend), note'),
      });
    const reviewed = await nominations.review(
      id.data.id,
      body.data.decision,
      body.data.note?.trim() || null,
      services.clock.now(),
    );
    if (!reviewed) return reply.code(404).send(notFound(id.data.id));
    return view(services, reviewed);
  });

  const eraseDocs = adminDocs('nominations', 'Erase a nomination and its personal data', {
    params: idDocs('nomination'),
    responses: { 204: empty('Erased'), 404: gone },
  });
  scope.delete('/nominations/:id', { schema: eraseDocs }, async (req, reply) => {
    const id = idParam.safeParse(req.params);
    if (!id.success)
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: 'The nomination id must be a positive number.' });
    if (!(await nominations.erase(id.data.id))) return reply.code(404).send(notFound(id.data.id));
    return reply.code(204).send();
  });
};
