import { z } from 'zod';
import type { BroadcastButton, BroadcastMessage, Segment } from './model.js';
import { TOPICS } from './topics.js';

/** A time whose fields and UTC offset exist (zod's pattern alone lets +25:00 or month 13 through). */
function realInstant(iso: string): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (offset && (Number(offset[2]) > 14 || Number(offset[3]) > 59)) return false;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= 2000 && year <= 2099;
}

const text = (max: number) =>
  z
    .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

const oneOf = <T extends string, U extends [T, ...T[]]>(values: U) =>
  z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) });

const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item, { invalid_type_error: 'must be a list' })
    .min(1, 'must list at least one value (leave the field out to not filter on it)')
    .max(500, 'must list at most 500 values');

// Zalo caps a text at 2,000 characters and Messenger too: the smallest limit wins.
const message = z
  .object(
    { vi: text(2000), en: text(2000).optional() },
    { required_error: 'is required', invalid_type_error: 'must be an object like {"vi": "..."}' },
  )
  .strict();

// Messenger quick-reply titles are at most 20 characters.
const button = z
  .object(
    {
      payload: z.string({ required_error: 'is required' }).min(1).max(1000),
      title: z.object({ vi: text(20), en: text(20).optional() }).strict(),
    },
    { invalid_type_error: 'must be an object like {"payload": "...", "title": {"vi": "..."}}' },
  )
  .strict();

// Strict: a misspelt criterion must be refused, never ignored (it would widen the audience).
const segment = z
  .object(
    {
      channels: list(oneOf(['messenger', 'viber', 'zalo', 'simulator'])).optional(),
      provinces: list(text(100)).optional(),
      audiences: list(text(100)).optional(),
      topics: list(oneOf([TOPICS[0], ...TOPICS.slice(1)])).optional(),
      languages: list(oneOf(['vi', 'en'])).optional(),
      registered: z
        .object({ course: text(100).optional(), session: text(100).optional() })
        .strict()
        .refine((r) => r.course !== undefined || r.session !== undefined, {
          message: 'needs "course" or "session"',
        })
        .optional(),
    },
    {
      required_error: 'is required ({} sends to everyone who opted in)',
      invalid_type_error: 'must be an object',
    },
  )
  .strict();

/** The create-broadcast body (also what the OpenAPI document shows). */
export const broadcastBody = z
  .object(
    {
      message,
      button: button.optional(),
      segment,
      scheduleAt: z
        .string({ invalid_type_error: 'must be an ISO 8601 time' })
        .datetime({
          offset: true,
          message: 'must be an ISO 8601 time such as 2026-10-01T08:00:00+07:00',
        })
        .refine(realInstant, {
          message:
            'is not a real time (month, day, hour and a UTC offset of at most ±14:00), e.g. 2026-10-01T08:00:00+07:00',
        })
        .optional(),
      dryRun: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
    },
    { invalid_type_error: 'the body must be a JSON object' },
  )
  .strict();

/** A validated request to create a broadcast. */
export interface BroadcastInput {
  message: BroadcastMessage;
  button?: BroadcastButton;
  segment: Segment;
  scheduleAt?: number;
  dryRun: boolean;
}

/** Validates a create-broadcast body; returns the input or a message naming the first bad field. */
export function parseBroadcastInput(
  raw: unknown,
): { ok: true; input: BroadcastInput } | { ok: false; message: string } {
  const result = broadcastBody.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    const what =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : issue.message;
    return { ok: false, message: `${where}: ${what}.` };
  }
  const { scheduleAt, dryRun, button: b, ...rest } = result.data;
  return {
    ok: true,
    input: {
      ...rest,
      ...(b ? { button: b } : {}),
      ...(scheduleAt ? { scheduleAt: Date.parse(scheduleAt) } : {}),
      dryRun: dryRun ?? false,
    },
  };
}
