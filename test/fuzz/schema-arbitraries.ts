import fc from 'fast-check';
import { anyJson, anyText, encodeAll } from './arbitraries.js';

/** A JSON schema as the OpenAPI document shows it. */
export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
};

// Built once: a fresh 200,000-character string per request is mostly work for the collector.
const HUGE_ASCII = 'x'.repeat(200_000);
const HUGE_VIETNAMESE = 'ệ'.repeat(100_000);

/** Hostile values for one field: huge and odd text, 64-bit numbers, wrong types, deep nesting. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  anyText,
  anyJson,
  fc.constantFrom(
    2 ** 53 + 2,
    -(2 ** 63),
    2 ** 64,
    1e308,
    -0,
    0.5,
    true,
    null,
    [],
    {},
    '\uD800x\uDC00',
  ),
  fc.integer({ min: 1, max: 400 }).map((n) => {
    let deep: unknown = 1;
    for (let i = 0; i < n; i++) deep = i % 2 ? [deep] : { a: deep };
    return deep;
  }),
);

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern fast-check cannot generate from (lookahead, \p{...}): plain text instead.
    }
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 60));
  const key = `${minLength}:${maxLength}`;
  // Each grapheme string builds a large table of graphemes: one per length range is enough.
  let text = graphemeText.get(key);
  if (!text) graphemeText.set(key, (text = fc.string({ unit: 'grapheme', minLength, maxLength })));
  return text;
}

const graphemeText = new Map<string, fc.Arbitrary<string>>();

/** Values the schema accepts, as far as a schema can say (ids, names and rules it cannot). */
export function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const value = ((): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return stringOf(schema);
      case 'integer':
        return fc.integer({
          min: Math.max(schema.minimum ?? -1000, -(2 ** 31)),
          max: Math.min(schema.maximum ?? 1000, 2 ** 31),
        });
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1000,
          max: schema.maximum ?? 1000,
          noNaN: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
      case 'object':
      case undefined:
        if (!schema.properties) return type ? fc.object({ maxDepth: 2 }) : anyJson;
        return fc.record(
          Object.fromEntries(
            Object.entries(schema.properties).map(([k, s]) => [k, fromSchema(s, depth + 1)]),
          ),
          { requiredKeys: schema.required ?? [] },
        );
      default:
        return anyJson;
    }
  })();
  return schema.nullable ? fc.option(value) : value;
}

/** A body: valid by the schema, valid with one field made hostile, or hostile throughout. */
export function bodyOf(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const valid = fromSchema(schema);
  const huge = fc.constantFrom(HUGE_ASCII, HUGE_VIETNAMESE);
  const keys = [...Object.keys(schema?.properties ?? {}), '__proto__', 'extra'];
  const mutated = fc
    .tuple(valid, fc.constantFrom(...keys), fc.oneof({ weight: 19, arbitrary: hostile }, huge))
    .map(([body, key, value]) =>
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? { ...body, [key]: value }
        : value,
    );
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 10, arbitrary: mutated },
    { weight: 4, arbitrary: hostile },
    { weight: 1, arbitrary: huge },
  );
}

/** One parameter of the OpenAPI document. */
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/** A query string over the documented parameters: valid values, hostile ones, unknown keys. */
export function queryOf(parameters: Parameter[]): fc.Arbitrary<string> {
  const one = (p: Parameter) =>
    fc.oneof(
      { weight: 3, arbitrary: fromSchema(p.schema).map(asText) },
      { weight: 2, arbitrary: hostile.map(asText) },
      { weight: 1, arbitrary: fc.array(anyText, { minLength: 2, maxLength: 3 }) },
    );
  const known = fc.record(Object.fromEntries(parameters.map((p) => [p.name, one(p)])), {
    requiredKeys: [],
  });
  const unknown = fc.dictionary(anyText, anyText, { maxKeys: 2 });
  // With many parameters a mix is nearly always refused somewhere: now and then only one, valid.
  const single =
    parameters.length === 0
      ? fc.constant('')
      : fc
          .constantFrom(...parameters)
          .chain((p) => fromSchema(p.schema).map((v) => `?${p.name}=${encodeAll(asText(v))}`));
  const mixed = fc
    .tuple(
      known,
      fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: unknown }),
      fc.constantFrom('', '', '', '&', '&=x', '&%zz', '&a[]=1', '&b[c]=1'),
    )
    .map(([k, u, raw]) => {
      const parts: string[] = [];
      for (const [key, value] of Object.entries({ ...u, ...k }))
        for (const v of Array.isArray(value) ? value : [value])
          parts.push(`${encodeAll(key)}=${encodeAll(String(v))}`);
      return `?${parts.join('&')}${raw}`;
    });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: single },
    { weight: 7, arbitrary: mixed },
  );
}

/** A path parameter: ids that exist, ids that do not, 64-bit and 70-bit numbers, any text. */
export function pathValue(parameter: Parameter, known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...known),
    fromSchema(parameter.schema).map(asText),
    fc.nat().map(String),
    fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String),
    fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', ' 1', '%00', 'null', 'x'.repeat(101)),
    anyText.filter((s) => s.length > 0),
  );
}
