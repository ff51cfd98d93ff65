import { AUDIENCES, type WeekEvent } from '../content/events.js';
import type { Contacts, FieldIssue } from './content-changes.js';
import type { Key, T } from './i18n.js';

/** The event form's fields, as the browser posts them. */
export const EVENT_FIELDS = [
  'title_vi',
  'title_en',
  'date',
  'endDate',
  'time',
  'endTime',
  'place_vi',
  'place_en',
  'onlineUrl',
  'province_vi',
  'province_en',
  'description_vi',
  'description_en',
] as const;

/** The contacts form's fields. */
export const CONTACT_FIELDS = ['phone', 'email', 'website', 'address_vi', 'address_en'] as const;

/** A posted form: every value a string, or several for checkboxes. */
export type Form = Record<string, string | string[] | undefined>;

const text = (form: Form, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).normalize('NFC').trim();
};
const optional = (form: Form, name: string) => {
  const v = text(form, name);
  return v === '' ? undefined : v;
};
const both = (form: Form, name: string) => ({
  vi: text(form, `${name}_vi`),
  en: text(form, `${name}_en`),
});
const optionalBoth = (form: Form, name: string) => {
  const value = both(form, name);
  return value.vi === '' && value.en === '' ? undefined : value;
};

/** The event a form describes (checked afterwards by the content schema, not here). */
export function eventFromForm(form: Form): Omit<WeekEvent, 'id' | 'sample'> {
  const audience = [form.audience ?? []].flat().filter((a) => a !== '');
  const fields = {
    title: both(form, 'title'),
    date: text(form, 'date'),
    endDate: optional(form, 'endDate'),
    time: optional(form, 'time'),
    endTime: optional(form, 'endTime'),
    place: optionalBoth(form, 'place'),
    onlineUrl: optional(form, 'onlineUrl'),
    province: optionalBoth(form, 'province'),
    audience: audience as WeekEvent['audience'],
    description: both(form, 'description'),
  };
  // Leave absent fields out, as the file would.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Omit<
    WeekEvent,
    'id' | 'sample'
  >;
}

/** The form values of an event (for editing it). */
export function eventToForm(event: WeekEvent | undefined): Form {
  if (!event) return {};
  return {
    title_vi: event.title.vi,
    title_en: event.title.en,
    date: event.date,
    endDate: event.endDate,
    time: event.time,
    endTime: event.endTime,
    place_vi: event.place?.vi,
    place_en: event.place?.en,
    onlineUrl: event.onlineUrl,
    province_vi: event.province?.vi,
    province_en: event.province?.en,
    audience: [...event.audience],
    description_vi: event.description.vi,
    description_en: event.description.en,
  };
}

/** The contacts a form describes. */
export function contactsFromForm(form: Form): Contacts {
  const fields = {
    phone: optional(form, 'phone'),
    email: optional(form, 'email'),
    website: optional(form, 'website'),
    address: optionalBoth(form, 'address'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The form values of the contacts. */
export function contactsToForm(contacts: Contacts): Form {
  return {
    phone: contacts.phone,
    email: contacts.email,
    website: contacts.website,
    address_vi: contacts.address?.vi,
    address_en: contacts.address?.en,
  };
}

/** The audiences an event can be for (labels from the bot's own texts). */
export { AUDIENCES };

/**
 * The form field and Vietnamese (or English) message of each issue the content schema raised:
 * the schema is the one of start-up, its English messages are for the file; organisers read
 * these instead, next to the field.
 */
export function fieldMessages(
  issues: readonly FieldIssue[],
  form: Form,
  t: T,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const [head = '', lang] = issue.field.split('.');
    const name = lang === 'vi' || lang === 'en' ? `${head}_${lang}` : head;
    const field =
      EVENT_FIELDS.includes(name as never) ||
      CONTACT_FIELDS.includes(name as never) ||
      name === 'audience'
        ? name
        : 'form';
    out[field] ??= t(messageKey(head, issue, form));
  }
  return out;
}

function messageKey(field: string, issue: FieldIssue, form: Form): Key {
  if (issue.code === 'placeholder') return 'content.err.placeholder';
  switch (field) {
    case 'title':
    case 'description':
      return 'content.err.text';
    case 'place':
    case 'province':
    case 'address':
      return 'content.err.both';
    case 'date':
      return 'content.err.date';
    case 'endDate':
      return issue.code === 'custom' ? 'content.err.endDate' : 'content.err.date';
    case 'time':
      return 'content.err.time';
    case 'endTime':
      if (issue.code !== 'custom') return 'content.err.time';
      return text(form, 'time') === ''
        ? 'content.err.endTimeNeedsTime'
        : 'content.err.endTimeOrder';
    case 'onlineUrl':
      return 'content.err.url';
    case 'audience':
      return 'content.err.audience';
    case 'id':
      return 'content.err.id';
    case 'phone':
      return 'content.err.phone';
    case 'email':
      return 'content.err.email';
    case 'website':
      return 'content.err.website';
    default:
      return 'content.err.invalid';
  }
}
