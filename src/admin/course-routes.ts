import type { FastifyReply } from 'fastify';
import { findCourse, type Course } from '../content/courses.js';
import type {
  CourseChangeResult,
  CourseFields,
  SessionFields,
} from '../dashboard/course-changes.js';
import { translate } from '../dashboard/i18n.js';
import { invalid } from './content-routes.js';
import {
  COURSE_BODY,
  COURSE_PATCH,
  docs,
  ITEM_PARAMS,
  SESSION_BODY,
  SESSION_PATCH,
  SESSION_PARAMS,
  VERSION_QUERY,
} from './content-schemas.js';
import type { AdminRoutes } from './routes.js';

type Versioned<T> = T & { version?: number };

function refused(
  reply: FastifyReply,
  result: Exclude<CourseChangeResult, { ok: true }>,
  removing = false,
) {
  switch (result.kind) {
    case 'invalid':
      return invalid(
        reply,
        result.issues.map((i) =>
          removing && i.code === 'too_small'
            ? { ...i, field: 'sessions', message: translate('en', 'course.err.lastSession') }
            : i,
        ),
      );
    case 'conflict':
      return reply.code(409).send({
        error: 'Conflict',
        message: `The course was changed meanwhile (now version ${result.current}); read it again and retry.`,
        current: result.current,
      });
    case 'held': {
      // Organisers read this refusal: it comes in both languages.
      const say = (locale: 'vi' | 'en') =>
        removing
          ? translate(locale, 'course.heldRemove', { count: result.taken + result.waitlist })
          : translate(locale, 'course.heldCapacity', { taken: result.taken });
      return reply.code(409).send({
        error: 'Conflict',
        message: say('en'),
        messages: { vi: say('vi'), en: say('en') },
        session: result.session,
        taken: result.taken,
        waitlist: result.waitlist,
      });
    }
    case 'unknown-course':
      return reply.code(404).send({ error: 'Not Found', message: 'No such course.' });
    default:
      return reply.code(404).send({ error: 'Not Found', message: 'No such session.' });
  }
}

const ownFields = (c: Course): CourseFields => ({
  kind: c.kind,
  title: c.title,
  audiences: c.audiences,
  ...(c.description ? { description: c.description } : {}),
  ...(c.closed ? { closed: true } : {}),
});

/**
 * Courses and their sessions as JSON: the same changes as the dashboard's course pages (checked
 * with the catalogue schema of start-up, a session holding registrations never removed nor
 * shrunk below its confirmed seats, effective for the next registration).
 */
export const courseRoutes: AdminRoutes = (scope, services, context) => {
  const { courses, accounts } = context;
  const expected = (id: string, given: number | undefined) => given ?? courses.version(id);
  const view = async (ids?: string[]) => {
    const seats = await services.registration.repo.allSeats();
    return courses
      .courses()
      .filter((c) => !ids || ids.includes(c.id))
      .map((c) => ({
        ...c,
        version: courses.version(c.id),
        sessions: c.sessions.map((s) => ({
          ...s,
          seats: seats.get(s.id) ?? { taken: 0, waitlist: 0 },
        })),
      }));
  };
  const one = async (id: string) => (await view([id]))[0]!;

  // GET /courses (every course with its seats) is in registration-routes.ts.
  scope.get<{ Params: { id: string } }>(
    '/courses/:id',
    { schema: { ...docs('A course with its version, sessions and seats'), params: ITEM_PARAMS } },
    async (req, reply) =>
      findCourse(services.content.courses, req.params.id)
        ? one(req.params.id)
        : refused(reply, { ok: false, kind: 'unknown-course' }),
  );

  scope.post<{ Body: Versioned<CourseFields & { sessions: SessionFields[] }> }>(
    '/courses',
    { schema: { ...docs('Adds a course with its first sessions'), body: COURSE_BODY } },
    async (req, reply) => {
      const { version: _ignored, ...fields } = req.body;
      const result = await courses.saveCourse(undefined, fields, req.adminActor!.name, 0);
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.course.create', {
        course: result.course,
        version: result.version,
      });
      return reply.code(201).send(await one(result.course));
    },
  );

  scope.patch<{ Params: { id: string }; Body: Versioned<Partial<CourseFields>> }>(
    '/courses/:id',
    {
      schema: {
        ...docs('Changes a course: titles, description, kind, audiences, closed'),
        params: ITEM_PARAMS,
        body: COURSE_PATCH,
      },
    },
    async (req, reply) => {
      const { version, ...patch } = req.body;
      const id = req.params.id;
      const course = findCourse(services.content.courses, id);
      if (!course) return refused(reply, { ok: false, kind: 'unknown-course' });
      const result = await courses.saveCourse(
        id,
        { ...ownFields(course), ...patch },
        req.adminActor!.name,
        expected(id, version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.course.update', {
        course: id,
        version: result.version,
      });
      return one(id);
    },
  );

  scope.post<{ Params: { id: string }; Body: Versioned<SessionFields> }>(
    '/courses/:id/sessions',
    { schema: { ...docs('Adds a session to a course'), params: ITEM_PARAMS, body: SESSION_BODY } },
    async (req, reply) => {
      const { version, ...fields } = req.body;
      const id = req.params.id;
      const result = await courses.saveSession(
        id,
        undefined,
        fields,
        req.adminActor!.name,
        expected(id, version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.session.create', {
        course: id,
        session: result.session ?? '',
        version: result.version,
      });
      const course = await one(id);
      return reply.code(201).send({
        ...course.sessions.find((s) => s.id === result.session)!,
        course: id,
        version: result.version,
      });
    },
  );

  scope.patch<{
    Params: { id: string; sessionId: string };
    Body: Versioned<Partial<SessionFields>>;
  }>(
    '/courses/:id/sessions/:sessionId',
    {
      schema: {
        ...docs('Changes a session: schedule, place, province, seats'),
        params: SESSION_PARAMS,
        body: SESSION_PATCH,
      },
    },
    async (req, reply) => {
      const { version, id: rename, ...patch } = req.body;
      const { id, sessionId } = req.params;
      if (rename !== undefined && rename !== sessionId)
        return invalid(reply, [
          {
            field: 'id',
            code: 'custom',
            message: 'cannot change: registrations are stored with it',
          },
        ]);
      const session = findCourse(services.content.courses, id)?.sessions.find(
        (s) => s.id === sessionId,
      );
      if (!session)
        return refused(reply, {
          ok: false,
          kind: findCourse(services.content.courses, id) ? 'unknown-session' : 'unknown-course',
        });
      const { id: _same, ...current } = session;
      const result = await courses.saveSession(
        id,
        sessionId,
        { ...current, ...patch },
        req.adminActor!.name,
        expected(id, version),
      );
      if (!result.ok) return refused(reply, result);
      await accounts.audit(req.adminActor!, 'content.session.update', {
        course: id,
        session: sessionId,
        version: result.version,
      });
      const course = await one(id);
      return {
        ...course.sessions.find((s) => s.id === sessionId)!,
        course: id,
        version: result.version,
      };
    },
  );

  scope.delete<{ Params: { id: string; sessionId: string }; Querystring: { version?: number } }>(
    '/courses/:id/sessions/:sessionId',
    {
      schema: {
        ...docs('Removes a session nobody is registered for'),
        params: SESSION_PARAMS,
        querystring: VERSION_QUERY,
      },
    },
    async (req, reply) => {
      const { id, sessionId } = req.params;
      const result = await courses.removeSession(
        id,
        sessionId,
        req.adminActor!.name,
        expected(id, req.query.version),
      );
      if (!result.ok) return refused(reply, result, true);
      await accounts.audit(req.adminActor!, 'content.session.remove', {
        course: id,
        session: sessionId,
        version: result.version,
      });
      return { course: id, session: sessionId, removed: true, version: result.version };
    },
  );
};
