import type { FastifySchema } from 'fastify';
import { adminDocs, refusal } from './docs.js';
import { AUDIENCES as COURSE_AUDIENCES, COURSE_KINDS } from '../content/courses.js';
import { AUDIENCES as EVENT_AUDIENCES } from '../content/events.js';

/**
 * JSON schemas of the content routes: the shape of each body (Fastify answers 400 naming the
 * field); what a value must be (dates, links, ids, provinces, uniqueness) is checked afterwards
 * by the content schemas of start-up, so the rules live in one place.
 */

// Not `false`: Fastify's Ajv would silently drop an unknown field; this refuses it by name.
const UNKNOWN = { not: {} } as const;
const text = { type: 'string', maxLength: 1500 } as const;
const localized = {
  type: 'object',
  required: ['vi', 'en'],
  additionalProperties: UNKNOWN,
  properties: { vi: text, en: text },
} as const;
const short = { type: 'string', maxLength: 500 } as const;
const version = {
  type: 'integer',
  minimum: 0,
  description:
    'The version the change starts from (409 when someone changed it since); default: the current one',
} as const;

/** `:id` of an event or a course. */
export const ITEM_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } },
} as const;

/** `:id` of a course and `:sessionId` of one of its sessions. */
export const SESSION_PARAMS = {
  type: 'object',
  required: ['id', 'sessionId'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
    sessionId: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
  },
} as const;

/** `?version=` of a removal. */
export const VERSION_QUERY = {
  type: 'object',
  additionalProperties: UNKNOWN,
  properties: { version },
} as const;

const eventProperties = {
  version,
  title: localized,
  date: short,
  endDate: short,
  time: short,
  endTime: short,
  place: localized,
  onlineUrl: short,
  province: localized,
  audience: { type: 'array', maxItems: 10, items: { type: 'string', enum: [...EVENT_AUDIENCES] } },
  description: localized,
} as const;

/** An event as content/events.json holds it (without its id). */
export const EVENT_BODY = {
  type: 'object',
  required: ['title', 'date', 'description'],
  additionalProperties: UNKNOWN,
  properties: eventProperties,
} as const;

/** The organiser's contacts as content/organiser.json holds them. */
export const CONTACTS_BODY = {
  type: 'object',
  additionalProperties: UNKNOWN,
  properties: { version, phone: short, email: short, website: short, address: localized },
} as const;

const sessionProperties = {
  id: { type: 'string', maxLength: 64 },
  schedule: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['scheduled', 'self-paced'] },
      start: short,
      end: short,
      registrationCloses: short,
      opens: short,
      closes: short,
    },
  },
  place: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['online', 'venue'] },
      url: short,
      address: localized,
    },
  },
  province: short,
  capacity: { type: 'integer', minimum: 1, maximum: 100_000 },
} as const;

const session = {
  type: 'object',
  required: ['schedule', 'place', 'capacity'],
  additionalProperties: UNKNOWN,
  properties: sessionProperties,
} as const;

/** A new session of a course. */
export const SESSION_BODY = {
  ...session,
  properties: { ...sessionProperties, version },
} as const;

/** The parts of a session to change (the others stay). */
export const SESSION_PATCH = {
  type: 'object',
  additionalProperties: UNKNOWN,
  minProperties: 1,
  properties: { ...sessionProperties, version },
} as const;

const courseProperties = {
  version,
  kind: { type: 'string', enum: [...COURSE_KINDS] },
  title: localized,
  description: localized,
  audiences: {
    type: 'array',
    minItems: 1,
    maxItems: 10,
    items: { type: 'string', enum: [...COURSE_AUDIENCES] },
  },
  closed: { type: 'boolean', description: 'Registration closed by the organiser' },
} as const;

/** A new course with its first sessions. */
export const COURSE_BODY = {
  type: 'object',
  required: ['kind', 'title', 'audiences', 'sessions'],
  additionalProperties: UNKNOWN,
  properties: {
    ...courseProperties,
    sessions: { type: 'array', minItems: 1, maxItems: 200, items: session },
  },
} as const;

/** The parts of a course to change (its sessions are changed one by one). */
export const COURSE_PATCH = {
  type: 'object',
  additionalProperties: UNKNOWN,
  minProperties: 1,
  properties: courseProperties,
} as const;

/** The OpenAPI parts every content route shares. */
export function docs(summary: string): FastifySchema {
  const base = adminDocs('content', summary);
  return {
    ...base,
    response: {
      ...(base.response as Record<number, unknown>),
      400: refusal('A field is refused; the message names it'),
      404: refusal('No such event, course or session'),
      409: refusal('Changed by someone else since `version`, or seats or a session refused'),
    },
  };
}
