import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { daysBetween, MAX_PERIOD_DAYS } from '../report/service.js';
import { describeProblem, draftBodySchema } from '../report/draft.js';
import { reportEditionIds, type ReportEdition } from '../report/edition.js';
import type { Snapshot, SnapshotData } from '../report/model.js';
import { suppress } from '../report/present.js';
import {
  loadReport,
  renderReport,
  reportFileName,
  reportService,
  reportWarnings,
  REPORT_TYPES,
} from '../report/export.js';
import { adminDocs, files, idParam, json, refusal } from './docs.js';
import { isCalendarDay } from '../registration/time.js';
import type { AdminRoutes } from './routes.js';

// 0000-00-00 matched the pattern and reached the snapshot as an invalid date: a 500.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01')
  .refine(isCalendarDay, 'is not a calendar date (use yyyy-mm-dd, e.g. 2020-10-01)');
const edition = z.string().max(40).optional();
const snapshotQuery = z.object({ edition, from: day.optional(), to: day.optional() }).strict();
const editionQuery = z.object({ edition }).strict();
const reportQuery = z
  .object({
    edition,
    format: z.enum(['docx', 'xlsx', 'html'], {
      errorMap: () => ({ message: 'must be docx, xlsx or html' }),
    }),
    snapshot: z.coerce.number().int().min(1).optional(),
    lang: z.enum(['vi', 'en']).default('vi'),
  })
  .strict();

/** Largest draft body: every text field may hold 100,000 characters of Vietnamese. */
const DRAFT_BODY_LIMIT = 6 * 1024 * 1024;

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: 'Bad Request', message });
}

function queryProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return `Unknown query parameter ${issue.keys.join(', ')}.`;
  return `Query parameter ${issue.path.join('.')}: ${issue.message}.`;
}

/** The snapshot as the API shows it: groups under 5 of a breakdown by province or audience read "<5". */
function shown(snapshot: Snapshot): Omit<Snapshot, 'data'> & { data: SnapshotData } {
  const sections = snapshot.data.sections.map((s) => ({
    ...s,
    tables: s.tables.map((t) =>
      t.small
        ? {
            ...t,
            rows: t.rows.map((r) =>
              Object.fromEntries(
                Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? suppress(v) : v]),
              ),
            ),
          }
        : t,
    ),
  }));
  return { ...snapshot, data: { ...snapshot.data, sections } };
}

/**
 * The results report: `POST/GET /report/snapshots`, `GET/PUT /report/draft` and
 * `GET /report?format=docx|xlsx|html`, each with an optional `edition` (the year).
 */
export const reportRoutes: AdminRoutes = (scope, services) => {
  const report = reportService(services);
  const findEdition = (reply: FastifyReply, id: string | undefined): ReportEdition | undefined => {
    const found = report.edition(id);
    if (!found)
      void reply.code(404).send({
        error: 'Not Found',
        message: `Unknown edition "${id}": the editions are ${reportEditionIds(services.content).join(', ')}.`,
      });
    return found;
  };

  const noEdition = refusal('No such edition (the year of the week)');
  const takeDocs = adminDocs('report', 'Take a snapshot of the figures (a period of the edition)', {
    querystring: snapshotQuery,
    responses: { 201: json('The snapshot; groups under 5 read "<5"'), 404: noEdition },
  });
  scope.post('/report/snapshots', { schema: takeDocs }, async (req, reply) => {
    const q = snapshotQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    const from = q.data.from ?? ed.startDate;
    const to = q.data.to ?? ed.endDate;
    if (from > to) return bad(reply, 'Query parameter from must not be after to.');
    if (daysBetween(from, to).length > MAX_PERIOD_DAYS)
      return bad(reply, `The period may cover at most ${MAX_PERIOD_DAYS} days.`);
    const snapshot = await report.takeSnapshot(ed, req.adminActor?.name ?? 'admin', { from, to });
    return reply.code(201).send(shown(snapshot));
  });

  const listDocs = adminDocs('report', "An edition's snapshots", {
    querystring: editionQuery,
    responses: { 200: json('edition and its snapshots, newest first'), 404: noEdition },
  });
  scope.get('/report/snapshots', { schema: listDocs }, async (req, reply) => {
    const q = editionQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    return { edition: ed.id, items: await report.repo.snapshots(ed.id) };
  });

  const oneDocs = adminDocs('report', 'One snapshot', {
    params: idParam('snapshot'),
    querystring: editionQuery,
    responses: {
      200: json('The snapshot; groups under 5 read "<5"'),
      404: refusal('No such edition or snapshot'),
    },
  });
  const one = { schema: oneDocs };
  scope.get<{ Params: { id: string } }>('/report/snapshots/:id', one, async (req, reply) => {
    const q = editionQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    const id = Number(req.params.id);
    const snapshot =
      Number.isSafeInteger(id) && id > 0 ? await report.repo.snapshot(ed.id, id) : undefined;
    if (!snapshot)
      return reply
        .code(404)
        .send({ error: 'Not Found', message: `No snapshot ${req.params.id} of edition ${ed.id}.` });
    return shown(snapshot);
  });

  const draftDocs = adminDocs('report', "The report's draft text and its history", {
    querystring: editionQuery,
    responses: { 200: json('version, draft, savedBy, savedAt and history'), 404: noEdition },
  });
  scope.get('/report/draft', { schema: draftDocs }, async (req, reply) => {
    const q = editionQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    return { ...(await report.draft(ed)), history: await report.repo.draftHistory(ed.id) };
  });

  const saveDocs = adminDocs('report', 'Save the draft (from the version it started from)', {
    querystring: editionQuery,
    body: draftBodySchema,
    responses: {
      200: json('The saved draft with its new version'),
      404: noEdition,
      409: refusal('Someone saved meanwhile: `version` is the current one'),
      413: refusal('The body is over 6 MB'),
    },
  });
  const save = { bodyLimit: DRAFT_BODY_LIMIT, schema: saveDocs };
  scope.put('/report/draft', save, async (req, reply) => {
    const q = editionQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    const body = draftBodySchema.safeParse(req.body ?? {});
    if (!body.success) return bad(reply, describeProblem(body.error));
    const saved = await report.saveDraft(
      ed,
      body.data.version,
      body.data.draft,
      body.data.author ?? req.adminActor?.name ?? 'admin',
    );
    if (!saved) {
      const current = await report.draft(ed);
      return reply.code(409).send({
        error: 'Conflict',
        message: `The draft changed since version ${body.data.version}: version ${current.version} was saved by ${current.savedBy ?? 'someone'}. Load it, apply your changes and save again.`,
        version: current.version,
      });
    }
    return saved;
  });

  const reportDocs = adminDocs('report', 'The report as DOCX, XLSX or an HTML preview', {
    querystring: reportQuery,
    description:
      'From a snapshot (the latest when left out). X-Report-Snapshot names it, X-Report-Warnings lists what is missing.',
    responses: {
      200: files('The report', ['docx', 'xlsx', 'html']),
      404: refusal('No such edition or snapshot'),
    },
  });
  scope.get('/report', { schema: reportDocs }, async (req, reply) => {
    const q = reportQuery.safeParse(req.query ?? {});
    if (!q.success) return bad(reply, queryProblem(q.error));
    const ed = findEdition(reply, q.data.edition);
    if (!ed) return reply;
    const loaded = await loadReport(report, services, ed, {
      ...(q.data.snapshot === undefined ? {} : { snapshot: q.data.snapshot }),
      lang: q.data.lang,
    });
    if (!loaded)
      return reply.code(404).send({
        error: 'Not Found',
        message: `No snapshot ${q.data.snapshot} of edition ${ed.id}.`,
      });
    const { doc, snapshot } = loaded;
    reply
      .header('x-report-snapshot', snapshot ? String(snapshot.id) : 'none')
      .header('x-report-warnings', reportWarnings(snapshot))
      .header('cache-control', 'no-store')
      .type(REPORT_TYPES[q.data.format]);
    if (q.data.format === 'html')
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    else
      reply.header(
        'content-disposition',
        `attachment; filename="${reportFileName(ed, q.data.format)}"`,
      );
    return reply.send(await renderReport(doc, q.data.format));
  });
};
