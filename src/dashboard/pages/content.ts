import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WeekEvent } from '../../content/events.js';
import { findCourse, findSession } from '../../content/courses.js';
import { CONTACTS, type ContentChangeResult } from '../content-changes.js';
import {
  AUDIENCES,
  contactsFromForm,
  contactsToForm,
  eventFromForm,
  eventToForm,
  fieldMessages,
  type Form,
} from '../content-forms.js';
import { sessionFromForm, sessionToForm } from '../course-forms.js';
import { html, type Part } from '../html.js';
import type { Key } from '../i18n.js';
import { csrfField, fieldError, type Frame, type Notice } from '../layout.js';
import type { PageDeps } from '../plugin.js';
import { can } from '../roles.js';
import { coursesSection, historyList, value } from './course-parts.js';
import { courseRefusal } from './courses.js';

/** One labelled input of a content form, with its message next to it. */
function input(
  f: Frame,
  form: Form,
  errors: Record<string, string>,
  name: string,
  type: 'text' | 'date' | 'time' | 'url' | 'email' | 'tel' = 'text',
  required = false,
): Part {
  const bad = errors[name] !== undefined;
  return html`<label for="${name}"
      >${f.t(`content.f.${name}` as Key)}${required ? '' : html` <span class="muted">(${f.t('content.optional')})</span>`}</label
    ><input
      id="${name}"
      name="${name}"
      type="${type}"
      value="${value(form, name)}"
      maxlength="${name.startsWith('description') ? 1500 : 300}"
      ${bad ? html` aria-invalid="true" aria-describedby="err-${name}"` : ''}
    />${fieldError(errors, name)}`;
}

function textarea(f: Frame, form: Form, errors: Record<string, string>, name: string): Part {
  const bad = errors[name] !== undefined;
  return html`<label for="${name}">${f.t(`content.f.${name}` as Key)}</label
    ><textarea
      id="${name}"
      name="${name}"
      rows="3"
      maxlength="1500"
      ${bad ? html` aria-invalid="true" aria-describedby="err-${name}"` : ''}
    >
${value(form, name)}</textarea
    >${fieldError(errors, name)}`;
}

/**
 * The current edition's organiser data: events and contacts an editor can change (checked
 * with the content schemas of start-up, effective at once), and the seats of each session.
 */
export function contentPages(scope: FastifyInstance, deps: PageDeps): void {
  const { services, context } = deps;
  const tz = services.config.timezone;

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notices: Notice[],
    errors: Record<string, string> = {},
    contactsForm?: Form & { version?: string },
  ) => {
    const f = deps.frame(req, reply);
    const edit = can(req.adminActor!.role, 'content');
    const { t, locale } = f;
    const seats = await services.registration.repo.allSeats();
    const { content } = services;
    const contacts = context.changes.contacts();
    const cform = contactsForm ?? contactsToForm(contacts);
    const cversion = contactsForm?.version ?? String(context.changes.version('contacts', CONTACTS));
    const contactLines = [
      contacts.phone && `${t('content.f.phone')}: ${contacts.phone}`,
      contacts.email && `${t('content.f.email')}: ${contacts.email}`,
      contacts.website && `${t('content.f.website')}: ${contacts.website}`,
      contacts.address && `${t('content.f.address')}: ${contacts.address[locale]}`,
    ].filter((l): l is string => typeof l === 'string' && l !== '');
    const body = html`<p class="muted">${t('content.note')}</p>
      <h2>${content.edition.name[locale]}</h2>
      <h2 id="events">${t('content.events')}</h2>
      ${edit ? html`<p><a class="button" id="add-event" href="/admin/content/events/new">${t('content.addEvent')}</a></p>` : ''}
      <ul class="cards" id="event-list">
        ${
          context.changes.events().length === 0
            ? html`<li class="card muted">${t('content.noEvents')}</li>`
            : context.changes
                .events()
                .map(
                  (e) =>
                    html`<li class="card" data-event="${e.id}">
                      <b>${e.date}${e.time ? ` ${e.time}` : ''}</b> ·
                      ${e.title[locale]}${e.place ? html` · ${e.place[locale]}` : ''}
                      ${edit ? html` <a href="/admin/content/events/${e.id}">${t('content.edit')}</a>` : ''}
                    </li>`,
                )
        }
      </ul>
      <h2 id="contacts">${t('content.contacts')}</h2>
      ${
        edit
          ? html`<form
              method="post"
              action="/admin/content/contacts"
              class="card"
              id="contacts-form"
              novalidate
            >
              ${csrfField(f)}<input type="hidden" name="version" value="${cversion}" />
              ${input(f, cform, errors, 'phone', 'tel')}
              ${input(f, cform, errors, 'email', 'email')}
              ${input(f, cform, errors, 'website', 'url')} ${input(f, cform, errors, 'address_vi')}
              ${input(f, cform, errors, 'address_en')}
              <button class="primary">${t('save')}</button>
            </form>`
          : html`<ul class="cards" id="contact-list">
              ${
                contactLines.length === 0
                  ? html`<li class="card muted">${t('content.noContacts')}</li>`
                  : contactLines.map((l) => html`<li class="card">${l}</li>`)
              }
            </ul>`
      }
      ${historyList(f, await context.changes.history('contacts', CONTACTS, 10), tz, 'contacts-history')}
      ${coursesSection(f, services, context.courses.courses(), seats, edit, errors)}`;
    return deps.page(reply, f, t('content.title'), body, notices);
  };

  const showEvent = async (
    req: FastifyRequest,
    reply: FastifyReply,
    event: WeekEvent | undefined,
    form: Form,
    version: string,
    notices: Notice[] = [],
    errors: Record<string, string> = {},
  ) => {
    const f = deps.frame(req, reply);
    const { t } = f;
    const action = `/admin/content/events/${event?.id ?? 'new'}`;
    const chosen = [form.audience ?? []].flat();
    const body = html`<p><a href="/admin/content">${t('back')}</a></p>
      <form method="post" action="${action}" class="card" id="event-form" novalidate>
        ${csrfField(f)}<input type="hidden" name="version" value="${version}" />
        ${input(f, form, errors, 'title_vi', 'text', true)}
        ${input(f, form, errors, 'title_en', 'text', true)}
        ${input(f, form, errors, 'date', 'date', true)} ${input(f, form, errors, 'endDate', 'date')}
        ${input(f, form, errors, 'time', 'time')} ${input(f, form, errors, 'endTime', 'time')}
        ${input(f, form, errors, 'place_vi')} ${input(f, form, errors, 'place_en')}
        ${input(f, form, errors, 'onlineUrl', 'url')} ${input(f, form, errors, 'province_vi')}
        ${input(f, form, errors, 'province_en')}
        <fieldset>
          <legend>${t('content.f.audience')}</legend>
          ${AUDIENCES.map(
            (a) =>
              html`<label class="check"
                ><input
                  type="checkbox"
                  name="audience"
                  value="${a}"
                  ${chosen.includes(a) ? html` checked` : ''}
                />
                ${services.t(f.locale, `events:audiences.${a}`)}</label
              >`,
          )}
          ${fieldError(errors, 'audience')}
        </fieldset>
        ${textarea(f, form, errors, 'description_vi')}
        ${textarea(f, form, errors, 'description_en')} ${fieldError(errors, 'form')}
        <button class="primary" id="save-event">${t('save')}</button>
      </form>
      ${
        event
          ? html`<form method="post" action="${action}/remove" class="inline">
                ${csrfField(f)}<input type="hidden" name="version" value="${version}" />
                <button class="danger small" id="remove-event">${t('content.removeEvent')}</button>
              </form>
              ${historyList(f, await context.changes.history('event', event.id, 20), tz, 'event-history')}`
          : ''
      }`;
    return deps.page(
      reply,
      f,
      event ? `${t('content.editEvent')}: ${event.title[f.locale]}` : t('content.newEvent'),
      body,
      notices,
    );
  };

  const findEvent = (id: string) => context.changes.events().find((e) => e.id === id);

  scope.get('/admin/content', async (req, reply) => {
    if (!deps.allow(req, reply, 'view')) return reply;
    const q = req.query as {
      saved?: string;
      event?: string;
      removed?: string;
      contacts?: string;
      course?: string;
      session?: string;
      removedSession?: string;
    };
    const t = deps.frame(req, reply).t;
    const notices: Notice[] = [];
    if (typeof q.saved === 'string')
      notices.push({ kind: 'ok', text: t('content.saved', { session: q.saved }) });
    const event = typeof q.event === 'string' ? findEvent(q.event) : undefined;
    if (event)
      notices.push({
        kind: 'ok',
        text: t('content.eventSaved', { title: event.title[deps.frame(req, reply).locale] }),
      });
    if (typeof q.removed === 'string')
      notices.push({ kind: 'ok', text: t('content.eventRemoved', { title: q.removed }) });
    if (q.contacts) notices.push({ kind: 'ok', text: t('content.contactsSaved') });
    const course =
      typeof q.course === 'string' ? findCourse(services.content.courses, q.course) : undefined;
    if (course) {
      const title = course.title[deps.frame(req, reply).locale];
      const key = q.removedSession
        ? 'course.sessionRemoved'
        : q.session
          ? 'course.sessionSaved'
          : 'course.saved';
      notices.push({ kind: 'ok', text: t(key, { title, session: q.removedSession ?? '' }) });
    }
    return show(req, reply, notices);
  });

  /** The notice and status of a refused change; the organiser's input stays in the form. */
  const refusal = (
    result: Exclude<ContentChangeResult, { ok: true }>,
    form: Form,
    t: Frame['t'],
  ): { status: number; notice: string; errors: Record<string, string> } => {
    if (result.kind === 'conflict')
      return { status: 409, notice: t('content.changed', { current: result.current }), errors: {} };
    if (result.kind === 'invalid')
      return {
        status: 400,
        notice: t('content.invalid'),
        errors: fieldMessages(result.issues, form, t),
      };
    return { status: 404, notice: t('error.notFound'), errors: {} };
  };

  scope.get<{ Params: { id: string } }>('/admin/content/events/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    if (req.params.id === 'new') return showEvent(req, reply, undefined, {}, '0');
    const event = findEvent(req.params.id);
    if (!event) {
      const f = deps.frame(req, reply);
      reply.code(404);
      return deps.page(
        reply,
        f,
        f.t('error.notFound'),
        html`<p><a href="/admin/content">${f.t('back')}</a></p>`,
      );
    }
    return showEvent(
      req,
      reply,
      event,
      eventToForm(event),
      String(context.changes.version('event', event.id)),
    );
  });

  scope.post<{ Params: { id: string } }>('/admin/content/events/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as Form;
    const isNew = req.params.id === 'new';
    const expected = Number(value(form, 'version'));
    const result = await context.changes.saveEvent(
      isNew ? undefined : req.params.id,
      eventFromForm(form),
      req.adminActor!.name,
      Number.isInteger(expected) ? expected : -1,
    );
    if (result.ok) {
      await context.accounts.audit(
        req.adminActor!,
        `content.event.${isNew ? 'create' : 'update'}`,
        {
          event: result.id,
          version: result.version,
        },
      );
      return reply.redirect(`/admin/content?event=${encodeURIComponent(result.id)}#events`, 303);
    }
    const { status, notice, errors } = refusal(result, form, f.t);
    const event = isNew ? undefined : findEvent(req.params.id);
    const version =
      result.kind === 'conflict' ? String(result.current) : value(form, 'version') || '0';
    return showEvent(
      req,
      reply.code(status),
      event,
      form,
      version,
      [{ kind: 'error', text: notice }],
      errors,
    );
  });

  scope.post<{ Params: { id: string } }>('/admin/content/events/:id/remove', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as Form;
    const event = findEvent(req.params.id);
    const result = await context.changes.removeEvent(
      req.params.id,
      req.adminActor!.name,
      Number(value(form, 'version')),
    );
    if (result.ok && event) {
      await context.accounts.audit(req.adminActor!, 'content.event.remove', {
        event: result.id,
        version: result.version,
      });
      return reply.redirect(
        `/admin/content?removed=${encodeURIComponent(event.title[f.locale])}#events`,
        303,
      );
    }
    if (result.ok) return reply.redirect('/admin/content', 303);
    const { status, notice } = refusal(result, form, f.t);
    if (!event) {
      reply.code(404);
      return deps.page(
        reply,
        f,
        f.t('error.notFound'),
        html`<p><a href="/admin/content">${f.t('back')}</a></p>`,
      );
    }
    return showEvent(
      req,
      reply.code(status),
      event,
      eventToForm(event),
      String(context.changes.version('event', event.id)),
      [{ kind: 'error', text: notice }],
    );
  });

  scope.post('/admin/content/contacts', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const f = deps.frame(req, reply);
    const form = (req.body ?? {}) as Form;
    const expected = Number(value(form, 'version'));
    const result = await context.changes.saveContacts(
      contactsFromForm(form),
      req.adminActor!.name,
      Number.isInteger(expected) ? expected : -1,
    );
    if (result.ok) {
      await context.accounts.audit(req.adminActor!, 'content.contacts', {
        version: result.version,
      });
      return reply.redirect('/admin/content?contacts=1#contacts', 303);
    }
    const { status, notice, errors } = refusal(result, form, f.t);
    const version =
      result.kind === 'conflict' ? String(result.current) : value(form, 'version') || '0';
    return show(req, reply.code(status), [{ kind: 'error', text: notice }], errors, {
      ...form,
      version,
    });
  });

  scope.post<{ Params: { id: string } }>('/admin/content/sessions/:id', async (req, reply) => {
    if (!deps.allow(req, reply, 'content')) return reply;
    const t = deps.frame(req, reply).t;
    const body = (req.body ?? {}) as Form;
    const id = req.params.id;
    const ref = findSession(services.content.courses, id);
    if (!ref) return show(req, reply.code(404), [{ kind: 'error', text: t('error.notFound') }]);
    const fail = (status: number, text: string) =>
      show(req, reply.code(status), [{ kind: 'error', text }], { [id]: text });
    // The seats the organiser saw: someone else's change since then is not overwritten.
    if (Number(value(body, 'expected')) !== ref.session.capacity)
      return fail(409, t('content.conflict', { current: ref.session.capacity }));
    const form = { ...sessionToForm(ref.session, tz), capacity: value(body, 'capacity').trim() };
    const result = await context.courses.saveSession(
      ref.course.id,
      id,
      sessionFromForm(form, tz),
      req.adminActor!.name,
      context.courses.version(ref.course.id),
    );
    if (result.ok) {
      await context.accounts.audit(req.adminActor!, 'content.capacity', {
        session: id,
        capacity: Number(form.capacity),
      });
      return reply.redirect(`/admin/content?saved=${encodeURIComponent(id)}#courses`, 303);
    }
    const { status, notice, errors } = courseRefusal(result, form, t);
    return fail(status, errors.capacity ?? notice);
  });
}
