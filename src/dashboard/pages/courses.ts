import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCourse, type Course, type Session } from '../../content/courses.js';
import type { Form } from '../content-forms.js';
import { sessionShortLabel } from '../../registration/describe.js';
import type { CourseChangeResult } from '../course-changes.js';
import {
  courseFieldMessages,
  courseFromForm,
  courseToForm,
  sessionFromForm,
  sessionToForm,
} from '../course-forms.js';
import { html, type Part } from '../html.js';
import { csrfField, fieldError, type Frame, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { courseFields, historyList, sessionFields, value } from './course-parts.js';

type Refusal = Exclude<CourseChangeResult, { ok: true }>;

/** The status, notice and field messages of a refused change; the input stays in the form. */
export function courseRefusal(
  result: Refusal,
  form: Form,
  t: Frame['t'],
  removing = false,
): { status: number; notice: string; errors: Record<string, string> } {
  switch (result.kind) {
    case 'conflict':
      return { status: 409, notice: t('course.changed', { current: result.current }), errors: {} };
    case 'invalid':
      return {
        status: 400,
        notice: t('content.invalid'),
        errors: courseFieldMessages(result.issues, form, t),
      };
    case 'held': {
      const notice = removing
        ? t('course.heldRemove', { count: result.taken + result.waitlist })
        : t('course.heldCapacity', { taken: result.taken });
      return { status: 409, notice, errors: removing ? {} : { capacity: notice } };
    }
    default:
      return { status: 404, notice: t('error.notFound'), errors: {} };
  }
}

/**
 * Course and session pages of the content section: an editor edits a course's texts, kind,
 * audiences and open state, adds a course, and adds, edits or removes its sessions (never one
 * that holds registrations, never below its confirmed seats); checked as start-up checks the
 * catalogue, effective for the next person who registers.
 */
export function coursePages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;
  const tz = services.config.timezone;
  const courses = context.courses;
  const find = (id: string) => findCourse(services.content.courses, id);

  const notFound = (req: FastifyRequest, reply: FastifyReply) => {
    const f = deps.frame(req, reply);
    reply.code(404);
    return deps.page(
      reply,
      f,
      f.t('error.notFound'),
      html`<p><a href="/admin/content">${f.t('back')}</a></p>`,
    );
  };

  const history = async (f: Frame, courseId: string): Promise<Part> => {
    const changes = await courses.history(courseId, 20);
    return historyList(f, changes, tz, 'course-history');
  };

  const showCourse = async (
    req: FastifyRequest,
    reply: FastifyReply,
    course: Course | undefined,
    form: Form,
    version: string,
    notices: Notice[] = [],
    errors: Record<string, string> = {},
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const action = `/admin/content/courses/${course?.id ?? 'new'}`;
    const body = html`<p><a href="/admin/content#courses">${t('back')}</a></p>
      <form method="post" action="${action}" class="card" id="course-form" novalidate>
        ${csrfField(f)}<input type="hidden" name="version" value="${version}" />
        ${courseFields(f, form, errors, services)}
        ${
          course
            ? ''
            : html`<h2>${t('course.firstSession')}</h2>
                ${sessionFields(f, form, errors)}`
        }
        ${fieldError(errors, 'form')}
        <p><button class="primary" id="save-course">${t('save')}</button></p>
      </form>
      ${
        course
          ? html`<h2>${t('course.sessions')}</h2>
              <p>
                <a class="button" id="add-session" href="${action}/sessions/new"
                  >${t('course.addSession')}</a
                >
              </p>
              <ul class="cards" id="session-list">
                ${course.sessions.map(
                  (s) =>
                    html`<li class="card" data-session="${s.id}">
                      ${sessionLabel(s, f)} ·
                      <a href="${action}/sessions/${s.id}">${t('content.edit')}</a>
                    </li>`,
                )}
              </ul>
              ${await history(f, course.id)}`
          : ''
      }`;
    const title = course ? `${t('course.edit')}: ${course.title[locale]}` : t('course.new');
    return deps.page(reply, f, title, body, notices);
  };

  const sessionLabel = (s: Session, f: Frame) =>
    `${sessionShortLabel(s, f.locale, tz, services.t)} · ${f.t('content.capacity')}: ${s.capacity}`;

  const showSession = (
    req: FastifyRequest,
    reply: FastifyReply,
    course: Course,
    session: Session | undefined,
    form: Form,
    version: string,
    notices: Notice[] = [],
    errors: Record<string, string> = {},
  ) => {
    const f = deps.frame(req, reply);
    const { t, locale } = f;
    const action = `/admin/content/courses/${course.id}/sessions/${session?.id ?? 'new'}`;
    const body = html`<p><a href="/admin/content/courses/${course.id}">${t('back')}</a></p>
      <form method="post" action="${action}" class="card" id="session-form" novalidate>
        ${csrfField(f)}<input type="hidden" name="version" value="${version}" />
        ${sessionFields(f, form, errors)} ${fieldError(errors, 'form')}
        <p><button class="primary" id="save-session">${t('save')}</button></p>
      </form>
      ${
        session
          ? html`<form method="post" action="${action}/remove" class="inline">
              ${csrfField(f)}<input type="hidden" name="version" value="${version}" />
              <button class="danger small" id="remove-session">${t('course.removeSession')}</button>
            </form>`
          : ''
      }`;
    const title = `${session ? t('course.editSession') : t('course.newSession')}: ${course.title[locale]}`;
    return deps.page(reply, f, title, body, notices);
  };

  const expectedOf = (form: Form) => {
    const n = Number(value(form, 'version'));
    return Number.isInteger(n) ? n : -1;
  };

  scope.get<{ Params: { id: string } }>('/admin/content/courses/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    if (req.params.id === 'new')
      return showCourse(req, reply, undefined, courseToForm(undefined), '0');
    const course = find(req.params.id);
    if (!course) return notFound(req, reply);
    return showCourse(req, reply, course, courseToForm(course), String(courses.version(course.id)));
  });

  scope.post<{ Params: { id: string } }>('/admin/content/courses/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as Form;
    const isNew = req.params.id === 'new';
    const fields = courseFromForm(form);
    const result = await courses.saveCourse(
      isNew ? undefined : req.params.id,
      isNew ? { ...fields, sessions: [sessionFromForm(form, tz)] } : fields,
      req.adminActor!.name,
      expectedOf(form),
    );
    if (result.ok) {
      await context.accounts.audit(
        req.adminActor!,
        `content.course.${isNew ? 'create' : 'update'}`,
        {
          course: result.course,
          version: result.version,
        },
      );
      return reply.redirect(
        `/admin/content?course=${encodeURIComponent(result.course)}#courses`,
        303,
      );
    }
    const { status, notice, errors } = courseRefusal(result, form, f.t);
    const course = isNew ? undefined : find(req.params.id);
    if (!isNew && !course) return notFound(req, reply);
    const version =
      result.kind === 'conflict' ? String(result.current) : value(form, 'version') || '0';
    return showCourse(
      req,
      reply.code(status),
      course,
      form,
      version,
      [{ kind: 'error', text: notice }],
      errors,
    );
  });

  scope.get<{ Params: { id: string; sid: string } }>(
    '/admin/content/courses/:id/sessions/:sid',
    async (req, reply) => {
      if (!deps.allow(req, reply, 'content')) return reply;
      const course = find(req.params.id);
      const session = course?.sessions.find((s) => s.id === req.params.sid);
      if (!course || (req.params.sid !== 'new' && !session)) return notFound(req, reply);
      return showSession(
        req,
        reply,
        course,
        session,
        sessionToForm(session, tz),
        String(courses.version(course.id)),
      );
    },
  );

  scope.post<{ Params: { id: string; sid: string } }>(
    '/admin/content/courses/:id/sessions/:sid',
    async (req, reply) => {
      if (!deps.allow(req, reply, 'content')) return reply;
      const f = deps.frame(req, reply);
      const form = (req.body ?? {}) as Form;
      const isNew = req.params.sid === 'new';
      const result = await courses.saveSession(
        req.params.id,
        isNew ? undefined : req.params.sid,
        sessionFromForm(form, tz),
        req.adminActor!.name,
        expectedOf(form),
      );
      if (result.ok) {
        await context.accounts.audit(
          req.adminActor!,
          `content.session.${isNew ? 'create' : 'update'}`,
          {
            course: result.course,
            session: result.session ?? '',
            version: result.version,
          },
        );
        return reply.redirect(
          `/admin/content?course=${encodeURIComponent(result.course)}&session=1#courses`,
          303,
        );
      }
      const course = find(req.params.id);
      const session = course?.sessions.find((s) => s.id === req.params.sid);
      if (!course || (!isNew && !session)) return notFound(req, reply);
      const { status, notice, errors } = courseRefusal(result, form, f.t);
      const version =
        result.kind === 'conflict' ? String(result.current) : value(form, 'version') || '0';
      return showSession(
        req,
        reply.code(status),
        course,
        session,
        form,
        version,
        [{ kind: 'error', text: notice }],
        errors,
      );
    },
  );

  scope.post<{ Params: { id: string; sid: string } }>(
    '/admin/content/courses/:id/sessions/:sid/remove',
    async (req, reply) => {
      if (!deps.allow(req, reply, 'content')) return reply;
      const f = deps.frame(req, reply);
      const form = (req.body ?? {}) as Form;
      const course = find(req.params.id);
      const session = course?.sessions.find((s) => s.id === req.params.sid);
      if (!course || !session) return notFound(req, reply);
      const result = await courses.removeSession(
        course.id,
        session.id,
        req.adminActor!.name,
        expectedOf(form),
      );
      if (result.ok) {
        await context.accounts.audit(req.adminActor!, 'content.session.remove', {
          course: course.id,
          session: session.id,
          version: result.version,
        });
        return reply.redirect(
          `/admin/content?removedSession=${encodeURIComponent(session.id)}&course=${encodeURIComponent(course.id)}#courses`,
          303,
        );
      }
      const { status, notice, errors } = courseRefusal(result, {}, f.t, true);
      return showSession(
        req,
        reply.code(status),
        course,
        session,
        sessionToForm(session, tz),
        String(courses.version(course.id)),
        [{ kind: 'error', text: notice }],
        errors,
      );
    },
  );
}
