import { z } from 'zod';
import type { Edition } from './edition.js';
import { ContentError } from './errors.js';

const entryId = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes');

/** A button title: Messenger cuts quick-reply titles after 20 characters. */
const buttonTitle = z.object({
  vi: z.string().min(1).max(20, 'must be at most 20 characters (button titles)'),
  en: z.string().min(1).max(20, 'must be at most 20 characters (button titles)'),
});

/**
 * Names an answer may use as {{name}}; the values come from the edition the bot presents
 * (editions/<year>.json), the organiser (organiser.json) and the clock.
 */
export const ANSWER_PLACEHOLDERS = [
  'name',
  'year',
  'theme',
  'themeVi',
  'themeEn',
  'start',
  'end',
  'opening',
  'reportDeadline',
  'reportRecipient',
  'reportEmail',
  'status',
  /** The courses and trainings of the catalogue, with whether registration is open now. */
  'courses',
  'contact',
  'controller',
] as const;

/**
 * Where an answer comes from, as data: sections of an edition's letter, an organiser file, or
 * the bot's own features. A test checks each letter-sourced answer against its sections.
 */
const sourceSchema = z
  .object({
    /** The edition whose letter is quoted. */
    edition: z.number().int().optional(),
    /** Section ids of that letter (see "letter.sections" in editions/<year>.json). */
    letter: z.array(z.string().min(1)).min(1).optional(),
    /** An organiser-edited field (e.g. "organiser.contacts"), or "edition" for edition data only. */
    organiser: z.string().min(1).optional(),
    /** A feature of the bot (e.g. "registration"). */
    bot: z.string().min(1).optional(),
    /** Reference content the organisers wrote themselves (not from the letter). */
    reference: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => s.letter === undefined || s.edition !== undefined, {
    message: 'a letter source needs the edition it belongs to',
    path: ['edition'],
  });

const questions = z.array(z.string().trim().min(2)).min(1, 'needs at least one question');

const entrySchema = z
  .object({
    id: entryId,
    /** Short title for buttons ("Did you mean...?", follow-ups, popular topics). */
    title: buttonTitle,
    /** Ways people ask it, in each language (diacritics and case do not matter). */
    questions: z.object({ vi: questions, en: questions }).strict(),
    answer: z.object({
      vi: z.string().min(1).max(1900, 'must be at most 1900 characters (Zalo allows 2000)'),
      en: z.string().min(1).max(1900, 'must be at most 1900 characters (Zalo allows 2000)'),
    }),
    /** Other entries offered as buttons under the answer. */
    followUps: z.array(entryId).default([]),
    /** Other buttons under the answer (a menu payload such as EVENTS or REGISTER). */
    actions: z
      .array(
        z
          .object({
            title: buttonTitle,
            payload: z.string().regex(/^[A-Z][A-Z0-9_:.-]*$/, 'must be a payload like EVENTS'),
          })
          .strict(),
      )
      .default([]),
    /** Listed when someone opens "Questions" from the menu. */
    popular: z.boolean().default(false),
    /** Organiser sample to replace with real information before going live. */
    sample: z.boolean().default(false),
    /** Where the answer comes from (free text is accepted, but tests ask for the structured form). */
    source: z.union([sourceSchema, z.string()]).optional(),
  })
  .strict();

/** One question-and-answer entry of content/faq.json. */
export type FaqEntry = z.infer<typeof entrySchema>;

/** content/faq.json: the questions and answers the bot knows. */
export const faqSchema = z
  .object({ entries: z.array(entrySchema).min(1, 'needs at least one entry') })
  .strict()
  .superRefine((faq, ctx) => {
    const ids = new Set<string>();
    faq.entries.forEach((entry, i) => {
      if (ids.has(entry.id))
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'id'],
          message: `duplicate id "${entry.id}"`,
        });
      ids.add(entry.id);
    });
    faq.entries.forEach((entry, i) => {
      entry.followUps.forEach((id, j) => {
        if (!ids.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['entries', i, 'followUps', j],
            message: `"${entry.id}" refers to an entry "${id}" that does not exist`,
          });
      });
      for (const lang of ['vi', 'en'] as const) {
        for (const match of entry.answer[lang].matchAll(/{{\s*([^}\s]*)\s*}}/g)) {
          const name = match[1] ?? '';
          if (!(ANSWER_PLACEHOLDERS as readonly string[]).includes(name))
            ctx.addIssue({
              code: 'custom',
              path: ['entries', i, 'answer', lang],
              message: `unknown placeholder {{${name}}} in "${entry.id}"; known: ${ANSWER_PLACEHOLDERS.join(', ')}`,
            });
        }
      }
    });
  });
export type Faq = z.infer<typeof faqSchema>;

/** Fills {{placeholders}} of an answer. */
export function fillAnswer(text: string, values: Readonly<Record<string, string>>): string {
  return text
    .replace(/{{\s*([^}\s]*)\s*}}/g, (whole, name: string) => values[name] ?? whole)
    .trim();
}

/** Checks that every letter source names a known edition and sections of its letter. */
export function checkSources(
  file: string,
  entries: readonly FaqEntry[],
  editions: readonly Edition[],
): void {
  entries.forEach((entry, i) => {
    const source = entry.source;
    if (typeof source !== 'object' || source.letter === undefined) return;
    const edition = editions.find((e) => e.year === source.edition);
    if (!edition)
      throw new ContentError(
        file,
        `field entries.${i}.source.edition: there is no edition ${source.edition}`,
      );
    const known = edition.letter?.sections ?? [];
    source.letter.forEach((section, j) => {
      if (!known.includes(section))
        throw new ContentError(
          file,
          `field entries.${i}.source.letter.${j}: "${section}" is not a section of the ${edition.year} letter (known: ${known.join(', ')})`,
        );
    });
  });
}
