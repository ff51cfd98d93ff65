import type { FastifySchema } from 'fastify';
import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

/** A JSON schema object, as OpenAPI shows it. */
type JsonSchema = Record<string, unknown>;

function toJson(schema: ZodTypeAny): JsonSchema {
  const json = zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * The OpenAPI description of an admin route, built from the same zod schemas the route validates
 * with (so the documentation cannot drift from the checks). Fastify does not validate against it
 * (the admin scope's validator accepts everything): zod stays the one validator, with its
 * messages naming the field.
 */
export function adminDocs(
  summary: string,
  parts: {
    querystring?: ZodTypeAny | JsonSchema;
    body?: ZodTypeAny;
    params?: JsonSchema;
    description?: string;
  } = {},
): FastifySchema {
  const query = parts.querystring;
  return {
    tags: ['admin'],
    summary,
    ...(parts.description ? { description: parts.description } : {}),
    security: [{ bearer: [] }],
    ...(query ? { querystring: isZod(query) ? toJson(query) : query } : {}),
    ...(parts.body ? { body: toJson(parts.body) } : {}),
    ...(parts.params ? { params: parts.params } : {}),
  };
}

function isZod(value: unknown): value is ZodTypeAny {
  return typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** `:id` of a broadcast. */
export const ID_PARAM: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^\\d{1,15}$', description: 'broadcast id' } },
  required: ['id'],
};
