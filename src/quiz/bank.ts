import { z } from 'zod';
import { readContentFile } from '../content/load.js';
import { localized } from '../content/localized.js';

/** The organiser's question banks file, next to the other content files. */
export const QUIZ_FILE = 'quiz.json';

const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/,
    'must be a time with its UTC offset, like 2020-10-01T08:00:00+07:00',
  )
  .transform((s) => Date.parse(s));

const shortText = (max: number) =>
  z.object({
    vi: z.string().min(1).max(max, `must be at most ${max} characters`),
    en: z.string().min(1).max(max, `must be at most ${max} characters`),
  });

const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes'),
    text: shortText(600),
    choices: z.array(shortText(200)).min(2).max(4, 'must have 2 to 4 choices'),
    /** Index (from 0) of the right choice. */
    answer: z.number().int().min(0),
    /** The one-line micro-lesson told after the answer, right or wrong. */
    lesson: shortText(300),
  })
  .strict()
  .refine((q) => q.answer < q.choices.length, {
    message: 'answer must be the index (from 0) of one of the choices',
    path: ['answer'],
  });

const roundSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes'),
    title: localized,
    opensAt: instant,
    closesAt: instant,
    /** Right answers needed for the certificate message. */
    passMark: z.number().int().min(1),
    questions: z.array(questionSchema).min(1).max(30),
  })
  .strict()
  .refine((r) => r.closesAt > r.opensAt, {
    message: 'closesAt must be after opensAt',
    path: ['closesAt'],
  })
  .refine((r) => r.passMark <= r.questions.length, {
    message: 'passMark must not exceed the number of questions',
    path: ['passMark'],
  })
  .refine((r) => new Set(r.questions.map((q) => q.id)).size === r.questions.length, {
    message: 'question ids must be unique within the round',
    path: ['questions'],
  });

const bankSchema = z
  .object({
    /** The edition's year (content/edition.json `year`) these rounds belong to. */
    edition: z.number().int().min(2000).max(2100),
    /** True for the shipped demonstration bank: citizens are told it is a demonstration. */
    demonstration: z.boolean().default(false),
    rounds: z.array(roundSchema).max(60),
  })
  .strict()
  .refine((b) => new Set(b.rounds.map((r) => r.id)).size === b.rounds.length, {
    message: 'round ids must be unique within the edition',
    path: ['rounds'],
  });

/** The whole file: one bank per edition. */
export const quizFileSchema = z
  .object({ banks: z.array(bankSchema) })
  .strict()
  .refine((f) => new Set(f.banks.map((b) => b.edition)).size === f.banks.length, {
    message: 'each edition may have one bank only',
    path: ['banks'],
  });

/** One question with its choices, answer and micro-lesson. */
export type QuizQuestion = z.infer<typeof questionSchema>;
/** A round: a set of questions open between two instants. */
export type QuizRound = z.infer<typeof roundSchema> & { demonstration: boolean };
/** An edition's question bank. */
export type QuizBank = { edition: number; demonstration: boolean; rounds: QuizRound[] };

/** Reads and validates content/quiz.json; returns the bank of the given edition (maybe empty). */
export function loadQuizBank(dir: string, edition: number): QuizBank {
  const file = readContentFile(dir, QUIZ_FILE, quizFileSchema);
  const bank = file.banks.find((b) => b.edition === edition);
  if (!bank) return { edition, demonstration: false, rounds: [] };
  return {
    edition,
    demonstration: bank.demonstration,
    rounds: bank.rounds.map((r) => ({ ...r, demonstration: bank.demonstration })),
  };
}
