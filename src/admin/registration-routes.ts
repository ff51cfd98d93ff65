import { z } from 'zod';
import { AUDIENCES, COURSE_KINDS, findSession, nextDay, sessionStart } from '../content/courses.js';
import { toCsv, type CsvValue } from '../registration/csv.js';
import { matchProvince, provinceName } from '../registration/provinces.js';
import type { Registration, RegistrationFilter } from '../registration/repo.js';
import { isCalendarDay, isoLocal, localDayStart } from '../registration/time.js';
import type { Services } from '../services.js';
import { adminDocs, files, json } from './docs.js';
import type { AdminRoutes } from './routes.js';
import { registrationsXlsx, sendXlsx } from '../registration/xlsx.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01')
  .refine(isCalendarDay, 'is not a calendar date (use yyyy-mm-dd, e.g. 2020-10-01)')
  .refine((iso) => iso >= '2000-01-01' && iso <= '2099-12-31', 'must be between 2000 and 2099');

/** `GET /registrations` query (also what the OpenAPI document shows). */
export const registrationsQuery = z
  .object({
    course: z.string().max(100).optional(),
    session: z.string().max(100).optional(),
    province: z.string().max(100).optional(),
    audience: z.enum(AUDIENCES).optional(),
    channel: z.enum(['messenger', 'viber', 'zalo', 'simulator']).optional(),
    status: z.enum(['confirmed', 'waitlisted', 'cancelled']).optional(),
    from: day.optional(),
    to: day.optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    search: z.string().trim().max(100).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .strict();

/** Column names of the CSV and XLSX exports. */
export const CSV_HEADER = [
  'code',
  'status',
  'course_id',
  'course_title',
  'session_id',
  'session_start',
  'channel',
  'full_name',
  'phone',
  'province_id',
  'province',
  'audience',
  'registered_at',
  'confirmed_at',
  'cancelled_at',
];

/** Largest export in one CSV (a bigger one should be narrowed with filters). */
const CSV_MAX_ROWS = 200_000;

function problem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return `Unknown query parameter ${issue.keys.join(', ')}; use course, session, province, audience, channel, status, from, to, search, page, pageSize, format.`;
  return `Query parameter ${issue.path.join('.')}: ${issue.message}.`;
}

/** One registration as the exports and the API show it (local times, names of things). */
export function registrationRow(services: Services, r: Registration) {
  const tz = services.config.timezone;
  const ref = findSession(services.content.courses, r.sessionId);
  const start = ref ? sessionStart(ref.session) : undefined;
  return {
    code: r.code,
    status: r.status,
    courseId: r.courseId,
    courseTitle: ref?.course.title.vi ?? null,
    sessionId: r.sessionId,
    sessionStart: start === undefined ? null : isoLocal(start, tz),
    channel: r.channel,
    fullName: r.fullName,
    phone: r.phone,
    provinceId: r.province,
    province: provinceName(r.province, 'vi'),
    audience: r.audience,
    registeredAt: isoLocal(r.createdAt, tz),
    confirmedAt: r.confirmedAt === null ? null : isoLocal(r.confirmedAt, tz),
    cancelledAt: r.cancelledAt === null ? null : isoLocal(r.cancelledAt, tz),
  };
}

/** The admin filters of a registrations query, validated; or a message naming the bad parameter. */
export function parseRegistrationQuery(
  services: Services,
  raw: unknown,
):
  | { ok: true; q: z.infer<typeof registrationsQuery>; filter: RegistrationFilter }
  | { ok: false; message: string } {
  const parsed = registrationsQuery.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, message: problem(parsed.error) };
  const q = parsed.data;
  const tz = services.config.timezone;
  const filter: RegistrationFilter = {};
  if (q.course) filter.courseId = q.course;
  if (q.session) filter.sessionId = q.session;
  if (q.audience) filter.audience = q.audience;
  if (q.channel) filter.channel = q.channel;
  if (q.status) filter.status = q.status;
  if (q.search) filter.search = q.search;
  if (q.province) {
    const match = matchProvince(q.province);
    if (match.kind !== 'found')
      return {
        ok: false,
        message: `Query parameter province: "${q.province}" is not one of the 34 provincial-level units (use an id like "nghe-an" or a name).`,
      };
    filter.province = match.province.id;
  }
  // Whole days in the bot's time zone, both ends included.
  if (q.from) filter.from = localDayStart(q.from, tz);
  if (q.to) filter.to = localDayStart(nextDay(q.to), tz);
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to)
    return { ok: false, message: 'Query parameter from must not be after to.' };
  return { ok: true, q, filter };
}

/** Admin API: registrations (JSON pages or a CSV export) and courses with their seats. */
export const registrationRoutes: AdminRoutes = (scope, services) => {
  scope.get(
    '/registrations',
    {
      schema: adminDocs(
        'registrations',
        'Registrations: a JSON page, or every match as CSV or XLSX (format=csv|xlsx)',
        {
          querystring: registrationsQuery,
          responses: {
            200: files(
              'A page of registrations (format=json), or the whole export as a file',
              ['csv', 'xlsx'],
              { type: 'object', description: 'items, page, pageSize, total' },
            ),
          },
        },
      ),
    },
    async (req, reply) => {
      const parsed = parseRegistrationQuery(services, req.query);
      if (!parsed.ok)
        return reply.code(400).send({ error: 'Bad Request', message: parsed.message });
      const { q, filter } = parsed;

      if (q.format === 'xlsx') {
        const result = await registrationsXlsx(services, filter);
        if (!result.ok)
          return reply.code(400).send({ error: 'Bad Request', message: result.message });
        return sendXlsx(reply, result.body);
      }
      if (q.format === 'csv') {
        const { items, total } = await services.registration.repo.query(filter, {
          offset: 0,
          limit: CSV_MAX_ROWS,
        });
        if (total > CSV_MAX_ROWS)
          return reply.code(400).send({
            error: 'Bad Request',
            message: `The export has ${total} rows, more than ${CSV_MAX_ROWS}: narrow it with filters (course, from, to...).`,
          });
        const rows: CsvValue[][] = items.map((r) => Object.values(registrationRow(services, r)));
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="registrations.csv"')
          .header('cache-control', 'no-store')
          .send(toCsv(CSV_HEADER, rows));
      }
      const { items, total } = await services.registration.repo.query(filter, {
        offset: (q.page - 1) * q.pageSize,
        limit: q.pageSize,
      });
      return {
        items: items.map((r) => registrationRow(services, r)),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },
  );

  scope.get(
    '/courses',
    {
      schema: adminDocs(
        'registrations',
        'Courses and their sessions with seats taken, left and waitlisted',
        { responses: { 200: json('Course kinds and courses with their sessions') } },
      ),
    },
    async () => {
      const seats = await services.registration.repo.allSeats();
      return {
        kinds: COURSE_KINDS,
        courses: services.content.courses.courses.map((course) => ({
          id: course.id,
          kind: course.kind,
          title: course.title,
          sample: course.sample,
          audiences: course.audiences,
          sessions: course.sessions.map((session) => {
            const s = seats.get(session.id) ?? { taken: 0, waitlist: 0 };
            return {
              id: session.id,
              schedule: session.schedule,
              place: session.place,
              province: session.province ?? null,
              capacity: session.capacity,
              taken: s.taken,
              left: Math.max(0, session.capacity - s.taken),
              waitlist: s.waitlist,
              open: services.registration.isOpen(session),
            };
          }),
        })),
      };
    },
  );

  scope.get(
    '/registrations/stats',
    {
      schema: adminDocs('registrations', 'Anonymous registration counters', {
        responses: { 200: json('Counters, no personal data') },
      }),
    },
    async () => ({
      counters: await services.registration.repo.stats(),
    }),
  );
};
