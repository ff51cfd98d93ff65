import { AUDIENCES, COURSE_KINDS, type Course, type Session } from '../content/courses.js';
import { isoLocal, localDay, localDayStart } from '../registration/time.js';
import type { FieldIssue } from './content-changes.js';
import type { Form } from './content-forms.js';
import type { Key, T } from './i18n.js';

/** The course form's own fields. */
export const COURSE_FIELDS = [
  'title_vi',
  'title_en',
  'description_vi',
  'description_en',
  'kind',
  'audiences',
  'closed',
] as const;

/** The session form's fields (a new course's form has them too, for its first session). */
export const SESSION_FIELDS = [
  'schedule',
  'date',
  'start',
  'end',
  'regCloseDate',
  'regCloseTime',
  'opens',
  'closes',
  'place',
  'url',
  'address_vi',
  'address_en',
  'province',
  'capacity',
] as const;

export { AUDIENCES, COURSE_KINDS };

const text = (form: Form, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).normalize('NFC').trim();
};
const optional = (form: Form, name: string) => text(form, name) || undefined;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A local day and time of the bot's zone as the catalogue writes it (with the UTC offset); a
 * malformed day or time is passed on as typed, so the content schema names the field.
 */
function instant(date: string, time: string, timezone: string): string {
  if (!DATE.test(date) || !TIME.test(time)) return `${date}T${time}`;
  const [h, m] = time.split(':').map(Number) as [number, number];
  return isoLocal(localDayStart(date, timezone) + (h * 60 + m) * 60_000, timezone);
}

/** The course a form describes (checked afterwards by the content schema, not here). */
export function courseFromForm(
  form: Form,
): Pick<Course, 'kind' | 'title' | 'audiences'> & Partial<Pick<Course, 'description' | 'closed'>> {
  const description = { vi: text(form, 'description_vi'), en: text(form, 'description_en') };
  return {
    kind: text(form, 'kind') as Course['kind'],
    title: { vi: text(form, 'title_vi'), en: text(form, 'title_en') },
    ...(description.vi || description.en ? { description } : {}),
    audiences: [form.audiences ?? []].flat().filter((a) => a !== '') as Course['audiences'],
    ...(text(form, 'closed') === 'on' ? { closed: true } : {}),
  };
}

/** The form values of a course. */
export function courseToForm(course: Course | undefined): Form {
  if (!course) return { kind: 'online-course', schedule: 'scheduled', place: 'online' };
  return {
    title_vi: course.title.vi,
    title_en: course.title.en,
    description_vi: course.description?.vi,
    description_en: course.description?.en,
    kind: course.kind,
    audiences: [...course.audiences],
    closed: course.closed ? 'on' : undefined,
  };
}

/** The session a form describes, its times in the bot's time zone. */
export function sessionFromForm(form: Form, timezone: string): Omit<Session, 'id'> {
  const date = text(form, 'date');
  const regCloseDate = text(form, 'regCloseDate');
  const schedule: Session['schedule'] =
    text(form, 'schedule') === 'self-paced'
      ? {
          type: 'self-paced',
          ...(optional(form, 'opens') ? { opens: text(form, 'opens') } : {}),
          ...(optional(form, 'closes') ? { closes: text(form, 'closes') } : {}),
        }
      : {
          type: 'scheduled',
          start: instant(date, text(form, 'start'), timezone),
          end: instant(date, text(form, 'end'), timezone),
          ...(regCloseDate
            ? {
                registrationCloses: instant(
                  regCloseDate,
                  text(form, 'regCloseTime') || '00:00',
                  timezone,
                ),
              }
            : {}),
        };
  const place: Session['place'] =
    text(form, 'place') === 'venue'
      ? { type: 'venue', address: { vi: text(form, 'address_vi'), en: text(form, 'address_en') } }
      : { type: 'online', ...(optional(form, 'url') ? { url: text(form, 'url') } : {}) };
  const raw = text(form, 'capacity');
  return {
    schedule,
    place,
    ...(optional(form, 'province') ? { province: text(form, 'province') } : {}),
    capacity: /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN,
  };
}

/** The form values of a session, its times in the bot's time zone. */
export function sessionToForm(session: Session | undefined, timezone: string): Form {
  if (!session) return { schedule: 'scheduled', place: 'online' };
  const s = session.schedule;
  const hm = (iso: string) => isoLocal(Date.parse(iso), timezone).slice(11, 16);
  const times =
    s.type === 'scheduled'
      ? {
          date: localDay(Date.parse(s.start), timezone),
          start: hm(s.start),
          end: hm(s.end),
          regCloseDate: s.registrationCloses
            ? localDay(Date.parse(s.registrationCloses), timezone)
            : undefined,
          regCloseTime: s.registrationCloses ? hm(s.registrationCloses) : undefined,
        }
      : { opens: s.opens, closes: s.closes };
  return {
    schedule: s.type,
    ...times,
    place: session.place.type,
    url: session.place.type === 'online' ? session.place.url : undefined,
    address_vi: session.place.type === 'venue' ? session.place.address.vi : undefined,
    address_en: session.place.type === 'venue' ? session.place.address.en : undefined,
    province: session.province,
    capacity: String(session.capacity),
  };
}

/** The form field an issue of the content schema is about (paths relative to the course or session). */
function fieldOf(path: string, form: Form): string {
  const own = /^(title|description|kind|audiences)(?:\.(vi|en))?$/.exec(path);
  if (own) return own[2] ? `${own[1]}_${own[2]}` : own[1]!;
  const p = path.replace(/^sessions\.\d+\.?/, '');
  switch (p) {
    case 'schedule.start':
      return DATE.test(text(form, 'date')) ? 'start' : 'date';
    case 'schedule.end':
      return 'end';
    case 'schedule.registrationCloses':
      return DATE.test(text(form, 'regCloseDate')) ? 'regCloseTime' : 'regCloseDate';
    case 'schedule.opens':
      return 'opens';
    case 'schedule.closes':
      return 'closes';
    case 'place.url':
      return 'url';
    case 'place.address.vi':
      return 'address_vi';
    case 'place.address.en':
      return 'address_en';
    case 'province':
      return 'province';
    case 'capacity':
      return 'capacity';
    default:
      return 'form';
  }
}

function messageKey(field: string, issue: FieldIssue): Key {
  if (issue.code === 'placeholder') return 'content.err.placeholder';
  switch (field) {
    case 'title_vi':
    case 'title_en':
    case 'description_vi':
    case 'description_en':
    case 'address_vi':
    case 'address_en':
      return 'content.err.text';
    case 'date':
    case 'opens':
    case 'closes':
    case 'regCloseDate':
      return 'content.err.date';
    case 'start':
    case 'regCloseTime':
      return 'content.err.time';
    case 'end':
      return issue.code === 'custom' ? 'course.err.endOrder' : 'content.err.time';
    case 'url':
      return 'course.err.url';
    case 'province':
      return 'course.err.province';
    case 'capacity':
      return 'content.errCapacity';
    case 'kind':
      return 'course.err.kind';
    case 'audiences':
      return 'course.err.audiences';
    default:
      return issue.code === 'too_small' ? 'course.err.lastSession' : 'content.err.invalid';
  }
}

/** The message next to each field the content schema refused, in the organiser's language. */
export function courseFieldMessages(
  issues: readonly FieldIssue[],
  form: Form,
  t: T,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.field, form);
    out[field] ??= t(messageKey(field, issue));
  }
  return out;
}
