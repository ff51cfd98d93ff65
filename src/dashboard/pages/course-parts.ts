import type { Course } from '../../content/courses.js';
import { sessionShortLabel } from '../../registration/describe.js';
import { PROVINCES } from '../../registration/provinces.js';
import type { SeatCount } from '../../registration/repo.js';
import type { Services } from '../../services.js';
import type { Form } from '../content-forms.js';
import { AUDIENCES, COURSE_KINDS } from '../course-forms.js';
import { html, type Part } from '../html.js';
import type { Key } from '../i18n.js';
import type { ContentChange } from '../content-changes.js';
import { csrfField, fieldError, when, type Frame } from '../layout.js';

/** A form's value of a field (the first one of a repeated field). */
export const value = (form: Form, name: string): string => {
  const v = form[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

const invalid = (errors: Record<string, string>, name: string): Part =>
  errors[name] !== undefined ? html` aria-invalid="true" aria-describedby="err-${name}"` : '';

const label = (f: Frame, name: string, required: boolean): Part =>
  html`<label for="${name}"
    >${f.t(`course.f.${name}` as Key)}${required ? '' : html` <span class="muted">(${f.t('content.optional')})</span>`}</label
  >`;

/** One labelled input of a course or session form, with its message next to it. */
export function field(
  f: Frame,
  form: Form,
  errors: Record<string, string>,
  name: string,
  type: 'text' | 'date' | 'time' | 'url' = 'text',
  required = false,
): Part {
  return html`${label(f, name, required)}<input
      id="${name}"
      name="${name}"
      type="${type}"
      value="${value(form, name)}"
      maxlength="${name === 'url' ? 500 : 300}"
      ${invalid(errors, name)}
    />${fieldError(errors, name)}`;
}

/** A multi-line text field. */
export function area(f: Frame, form: Form, errors: Record<string, string>, name: string): Part {
  return html`${label(f, name, false)}<textarea
      id="${name}"
      name="${name}"
      rows="3"
      maxlength="1500"
      ${invalid(errors, name)}
    >
${value(form, name)}</textarea
    >${fieldError(errors, name)}`;
}

/** One radio button of a choice, labelled `course.f.<name>.<choice>`. */
function option(f: Frame, form: Form, name: 'schedule' | 'place', choice: string): Part {
  return html`<label class="check option"
    ><input
      type="radio"
      name="${name}"
      value="${choice}"
      id="${name}-${choice}"
      ${value(form, name) === choice ? html` checked` : ''}
    />
    ${f.t(`course.f.${name}.${choice}` as Key)}</label
  >`;
}

/** The course's own fields: titles, description, kind, audiences, open or closed. */
export function courseFields(
  f: Frame,
  form: Form,
  errors: Record<string, string>,
  services: Services,
): Part {
  const chosen = [form.audiences ?? []].flat();
  return html`${field(f, form, errors, 'title_vi', 'text', true)}
    ${field(f, form, errors, 'title_en', 'text', true)} ${area(f, form, errors, 'description_vi')}
    ${area(f, form, errors, 'description_en')} ${label(f, 'kind', true)}
    <select id="kind" name="kind" ${invalid(errors, 'kind')}>
      ${COURSE_KINDS.map(
        (k) =>
          html`<option value="${k}" ${value(form, 'kind') === k ? html` selected` : ''}>
            ${services.t(f.locale, `registration:kind.${k}`)}
          </option>`,
      )}
    </select>
    ${fieldError(errors, 'kind')}
    <fieldset>
      <legend>${f.t('course.f.audiences')}</legend>
      ${AUDIENCES.map(
        (a) =>
          html`<label class="check"
            ><input
              type="checkbox"
              name="audiences"
              value="${a}"
              ${chosen.includes(a) ? html` checked` : ''}
            />
            ${services.t(f.locale, `registration:audience.${a}`)}</label
          >`,
      )}
      ${fieldError(errors, 'audiences')}
    </fieldset>
    <label class="check"
      ><input
        type="checkbox"
        name="closed"
        id="closed"
        ${value(form, 'closed') === 'on' ? html` checked` : ''}
      />
      ${f.t('course.f.closed')}</label
    >`;
}

/**
 * A session's fields: when (a set day and time, or self-paced), where (online or at a venue),
 * for which province, seats. Each choice is followed by the fields it needs (no script needed).
 */
export function sessionFields(f: Frame, form: Form, errors: Record<string, string>): Part {
  const cell = (name: string, type: 'date' | 'time', required: boolean) =>
    html`<div class="field">${field(f, form, errors, name, type, required)}</div>`;
  return html`<fieldset class="session-part">
      <legend>${f.t('course.f.schedule')}</legend>
      ${option(f, form, 'schedule', 'scheduled')}
      <div class="fields">
        ${cell('date', 'date', true)} ${cell('start', 'time', true)} ${cell('end', 'time', true)}
        ${cell('regCloseDate', 'date', false)} ${cell('regCloseTime', 'time', false)}
      </div>
      ${option(f, form, 'schedule', 'self-paced')}
      <div class="fields">${cell('opens', 'date', false)} ${cell('closes', 'date', false)}</div>
    </fieldset>
    <fieldset class="session-part">
      <legend>${f.t('course.f.place')}</legend>
      ${option(f, form, 'place', 'online')} ${field(f, form, errors, 'url', 'url', true)}
      ${option(f, form, 'place', 'venue')} ${field(f, form, errors, 'address_vi', 'text', true)}
      ${field(f, form, errors, 'address_en', 'text', true)}
    </fieldset>
    ${label(f, 'province', false)}
    <select id="province" name="province" ${invalid(errors, 'province')}>
      <option value="">${f.t('course.anyProvince')}</option>
      ${PROVINCES.map(
        (p) =>
          html`<option value="${p.id}" ${value(form, 'province') === p.id ? html` selected` : ''}>
            ${f.locale === 'vi' ? p.name : p.nameEn}
          </option>`,
      )}
    </select>
    ${fieldError(errors, 'province')} ${label(f, 'capacity', true)}<input
      id="capacity"
      name="capacity"
      inputmode="numeric"
      value="${value(form, 'capacity')}"
      ${invalid(errors, 'capacity')}
    />${fieldError(errors, 'capacity')}`;
}

/**
 * The content page's course section: each course with its sessions and seats; for an editor,
 * links to edit them and a quick seats form per session.
 */
export function coursesSection(
  f: Frame,
  services: Services,
  courses: readonly Course[],
  seats: Map<string, SeatCount>,
  edit: boolean,
  errors: Record<string, string>,
): Part {
  const { t, locale } = f;
  const tz = services.config.timezone;
  return html`<h2 id="courses">${t('course.courses')}</h2>
    ${edit ? html`<p><a class="button" id="add-course" href="/admin/content/courses/new">${t('course.add')}</a></p>` : ''}
    <ul class="cards" id="course-list">
      ${courses.map(
        (c) =>
          html`<li class="card" data-course="${c.id}">
            <b>${c.title[locale]}</b>
            <span class="muted"
              >·
              ${services.t(locale, `registration:kind.${c.kind}`)}${c.closed ? html` · <b class="closed">${t('course.closedTag')}</b>` : ''}</span
            >
            ${edit ? html` <a href="/admin/content/courses/${c.id}">${t('content.edit')}</a>` : ''}
            <ul class="sessions">
              ${c.sessions.map((s) => {
                const n = seats.get(s.id) ?? { taken: 0, waitlist: 0 };
                return html`<li data-session="${s.id}">
                  ${sessionShortLabel(s, locale, tz, services.t)} ·
                  <span class="seats"
                    >${t('course.seats', { taken: n.taken, capacity: s.capacity, waitlist: n.waitlist })}</span
                  >
                  ${
                    edit
                      ? html`<a href="/admin/content/courses/${c.id}/sessions/${s.id}"
                            >${t('content.edit')}</a
                          >
                          <form
                            method="post"
                            action="/admin/content/sessions/${s.id}"
                            class="capacity"
                          >
                            ${csrfField(f)}<input
                              type="hidden"
                              name="expected"
                              value="${s.capacity}"
                            />
                            <label for="cap-${s.id}">${t('content.capacity')}</label>
                            <input
                              id="cap-${s.id}"
                              name="capacity"
                              inputmode="numeric"
                              value="${s.capacity}"
                            />
                            <button class="small">${t('save')}</button>
                            ${fieldError(errors, s.id)}
                          </form>`
                      : ''
                  }
                </li>`;
              })}
            </ul>
          </li>`,
      )}
    </ul>`;
}

/** Who changed an item and when, newest first ("from the file" when nobody has). */
export function historyList(
  f: Frame,
  changes: ContentChange[],
  timezone: string,
  id: string,
): Part {
  return html`<h3>${f.t('content.history')}</h3>
    <ul class="history" id="${id}">
      ${
        changes.length === 0
          ? html`<li class="muted">${f.t('content.fromFile')}</li>`
          : changes.map(
              (c) =>
                html`<li>
                  ${f.t('content.historyLine', {
                    version: c.version,
                    action: f.t(`content.action.${c.action}` as Key),
                    who: c.actor,
                    at: when(c.at, f.locale, timezone),
                  })}
                </li>`,
            )
      }
    </ul>`;
}
