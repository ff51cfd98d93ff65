import type { FastifySchema } from 'fastify';
import type { ZodTypeAny } from 'zod';

/** A JSON schema object, as OpenAPI shows it. */
export type JsonSchema = Record<string, unknown>;

/** The sections of the admin API, as Swagger UI groups them. */
export type AdminTag =
  | 'status'
  | 'registrations'
  | 'broadcasts'
  | 'questions'
  | 'faq'
  | 'campaigns'
  | 'report'
  | 'quiz'
  | 'nominations'
  | 'content'
  | 'accounts';

/** Tag descriptions for the OpenAPI document. */
export const ADMIN_TAGS: Array<{ name: AdminTag; description: string }> = [
  { name: 'status', description: 'Channels, storage and counts.' },
  { name: 'registrations', description: 'Course registrations, exports, attendance, courses.' },
  { name: 'broadcasts', description: 'Messages to subscribers: plan, create, approve, send.' },
  { name: 'questions', description: 'Questions the bot could not answer, and answers to them.' },
  { name: 'faq', description: 'FAQ entries and their question variants.' },
  { name: 'campaigns', description: 'Campaign sources, their QR codes, posters and figures.' },
  { name: 'report', description: 'The results report: snapshots, draft, DOCX/XLSX/HTML.' },
  { name: 'quiz', description: 'Quiz results, leaderboards and figures.' },
  { name: 'nominations', description: 'Nominations of lifelong learners: list, review, erase.' },
  { name: 'content', description: 'Events, contacts, courses and sessions the bot tells now.' },
  { name: 'accounts', description: 'API tokens and the audit log (owners).' },
];

/**
 * The zod schemas of a route's query and body, kept on its Fastify schema until the OpenAPI
 * document is built (`documentedSchema`); Fastify never sees them, as it never validates them.
 */
const ZOD_PARTS = Symbol('zod parts');

interface ZodParts {
  querystring?: ZodTypeAny;
  body?: ZodTypeAny;
}

function isZod(value: unknown): value is ZodTypeAny {
  return typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'HTTP reason, e.g. "Bad Request"' },
    message: { type: 'string', description: 'What is wrong; a 400 names the field' },
    field: { type: 'string', description: 'The refused field, where a route names it apart' },
  },
};

/** A refusal (`{error, message}`) with what causes it. */
export function refusal(description: string): JsonSchema {
  return { description, ...ERROR_SCHEMA };
}

/** A JSON answer; `schema` narrows it where the shape is worth showing. */
export function json(description: string, schema: JsonSchema = { type: 'object' }): JsonSchema {
  return { description, ...schema };
}

/** An answer without a body (204). */
export function empty(description: string): JsonSchema {
  return { description, type: 'null' };
}

/** Content types of the files the admin API returns. */
export const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

/** A 200 that is a file in one of several content types (JSON included with `alsoJson`). */
export function files(
  description: string,
  kinds: Array<keyof typeof FILE_TYPES>,
  alsoJson?: JsonSchema,
): JsonSchema {
  const content: Record<string, { schema: JsonSchema }> = {};
  if (alsoJson) content['application/json'] = { schema: alsoJson };
  for (const kind of kinds) {
    const text = kind === 'csv' || kind === 'html' || kind === 'svg';
    content[FILE_TYPES[kind]] = {
      schema: text ? { type: 'string' } : { type: 'string', format: 'binary' },
    };
  }
  return { description, content };
}

/**
 * The OpenAPI description of an admin route. Zod schemas are the ones the route validates with
 * itself (so the documentation cannot drift from the checks): Fastify is not given them, and they
 * become JSON schemas only when the document is built. JSON schemas are passed on as they are; in
 * the zod-checked scope Fastify does not validate against them either, and responses never filter
 * what is sent (see routes.ts). Every route documents the bearer token and its refusals (401, 403,
 * 429), and a 400 once it takes input.
 */
export function adminDocs(
  tag: AdminTag,
  summary: string,
  parts: {
    querystring?: ZodTypeAny | JsonSchema;
    body?: ZodTypeAny | JsonSchema;
    params?: JsonSchema;
    description?: string;
    /** Answers by status code; 200 "OK" (a JSON object) when no 2xx is given. */
    responses?: Record<number, JsonSchema>;
  } = {},
): FastifySchema {
  const { querystring: query, body, params } = parts;
  const given = parts.responses ?? {};
  const hasSuccess = Object.keys(given).some((code) => code.startsWith('2'));
  const takesInput = Boolean(query ?? body ?? params);
  const zod: ZodParts = {
    ...(query && isZod(query) ? { querystring: query } : {}),
    ...(body && isZod(body) ? { body } : {}),
  };
  return {
    ...((zod.querystring ?? zod.body) ? { [ZOD_PARTS]: zod } : {}),
    tags: [tag],
    summary,
    ...(parts.description ? { description: parts.description } : {}),
    security: [{ bearer: [] }],
    ...(query && !isZod(query) ? { querystring: query } : {}),
    ...(body && !isZod(body) ? { body } : {}),
    ...(params ? { params } : {}),
    response: {
      ...(hasSuccess ? {} : { 200: json('OK') }),
      ...(takesInput
        ? { 400: refusal('A parameter or field is refused; the message names it') }
        : {}),
      401: refusal('No admin token, or not a valid one'),
      403: refusal("The token's role may not do this"),
      429: refusal('Too many wrong tokens from this client; wait a minute'),
      ...given,
    },
  };
}

/** A route's schema as the OpenAPI document shows it: its zod query and body as JSON schemas. */
export async function documentedSchema(schema: FastifySchema): Promise<FastifySchema> {
  const zod = (schema as { [ZOD_PARTS]?: ZodParts })[ZOD_PARTS];
  if (!zod) return schema;
  const { zodToJsonSchema } = await import('zod-to-json-schema');
  const toJson = (part: ZodTypeAny): JsonSchema => {
    const json = zodToJsonSchema(part, { target: 'openApi3', $refStrategy: 'none' }) as JsonSchema;
    delete json.$schema;
    return json;
  };
  return {
    ...schema,
    ...(zod.querystring ? { querystring: toJson(zod.querystring) } : {}),
    ...(zod.body ? { body: toJson(zod.body) } : {}),
  };
}

/** `:id`, a positive whole number, of the thing the route names. */
export function idParam(what: string): JsonSchema {
  return {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$', description: `${what} id` } },
  };
}

/** `:id` of a broadcast. */
export const ID_PARAM: JsonSchema = idParam('broadcast');
