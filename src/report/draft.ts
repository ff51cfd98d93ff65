import { z } from 'zod';
import { AUDIENCES } from '../content/courses.js';

/** Longest text an organiser may type in one field (characters). */
export const MAX_TEXT = 100_000;

/**
 * Organiser text as plain text: NFC, and without the control characters a Word document cannot
 * hold (markup is kept as typed and always rendered as text, never as markup).
 */
function cleanText(max: number) {
  return z
    .string({ invalid_type_error: 'must be text' })
    .max(max, `must be at most ${max} characters`)
    .transform((s) =>
      s
        .normalize('NFC')
        .replace(/[^\P{Cc}\n\t]/gu, '')
        .replace(/\r\n?/g, '\n'),
    );
}
const text = cleanText(MAX_TEXT);
const short = cleanText(300);
const count = z
  .number({ invalid_type_error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(1_000_000_000, 'must be at most 1000000000');
const money = count.max(1_000_000_000_000_000, 'must be at most 10^15');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01');

function counts<K extends string>(keys: readonly K[]) {
  const shape = Object.fromEntries(keys.map((k) => [k, count.default(0)]));
  const object = z.object(shape as Record<K, z.ZodDefault<typeof count>>).strict();
  return object.default({} as z.input<typeof object>);
}

/** What organisers type for the report (the bot cannot know it); every field is optional. */
export const draftSchema = z
  .object({
    /** Overrides the province named in the heading. */
    province: short.optional(),
    /** Overrides the organising Department (default: the data controller of the catalogue). */
    department: short.optional(),
    /** I. Plans and directives issued. */
    direction: z
      .array(z.object({ title: short, ref: short.optional(), date: day.optional() }).strict())
      .max(200, 'at most 200 items')
      .default([]),
    publicity: counts([
      'mediaArticles',
      'portalPosts',
      'socialPosts',
      'socialReach',
      'banners',
      'slogans',
      'posters',
      'mobileVehicles',
    ] as const),
    ceremonies: counts(['ceremonies', 'participants'] as const),
    online: counts(['programmes', 'openResources', 'participants'] as const),
    safeInternet: z
      .object({ classes: count.default(0), participants: counts(AUDIENCES) })
      .strict()
      .default({}),
    contests: counts(['contests', 'participants'] as const),
    libraries: counts(['libraries', 'bookshelves', 'readingSpaces', 'activities'] as const),
    otherClasses: counts(['classes', 'participants'] as const),
    commendations: counts(['collectives', 'individuals'] as const),
    funding: z
      .object({ state: money.default(0), donated: money.default(0) })
      .strict()
      .default({}),
    /** Attendance the organiser recorded per session (the bot records registrations only). */
    attendance: z
      .array(z.object({ sessionId: short, attended: count }).strict())
      .max(1000, 'at most 1000 sessions')
      .default([]),
    /** Free text per part (publicity, ceremonies...), shown under its figures. */
    notes: z
      .object({
        publicity: text.optional(),
        ceremonies: text.optional(),
        online: text.optional(),
        safeInternet: text.optional(),
        contests: text.optional(),
        libraries: text.optional(),
        otherClasses: text.optional(),
        commendations: text.optional(),
        funding: text.optional(),
      })
      .strict()
      .default({}),
    strengths: text.default(''),
    difficulties: text.default(''),
    proposals: text.default(''),
  })
  .strict();

/** The organisers' part of the report, validated. */
export type Draft = z.infer<typeof draftSchema>;

/** The body of `PUT /api/v1/report/draft`. */
export const draftBodySchema = z
  .object({
    /** The version this edit started from (0 before the first save). */
    version: z
      .number({
        required_error: 'is required (0 for the first save)',
        invalid_type_error: 'must be a number',
      })
      .int()
      .min(0),
    /** Who saves, as the organisers want it shown in the history (optional). */
    author: short.optional(),
    draft: draftSchema,
  })
  .strict();

/** An empty draft (before anything is saved). */
export function emptyDraft(): Draft {
  return draftSchema.parse({});
}

/** "field draft.publicity.banners: must be a whole number" from the first problem zod found. */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.join('.') || '(body)';
  if (issue.code === 'unrecognized_keys')
    return `field ${where ? `${where}: ` : ''}unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`.replace(
      '(body): ',
      '',
    );
  return `field ${where}: ${issue.message}`;
}
