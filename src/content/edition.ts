import { z } from 'zod';
import { localized } from './localized.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01');
const sectionId = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'must be a section id like "5b" (lower-case letters, digits, "-")');

/** The official letter an edition is organised under (who issued it, its sections). */
const letterSchema = z
  .object({
    /** Who issued it, e.g. the Ministry of Education and Training. */
    issuer: localized,
    /** The letter's number and date when known (e.g. "3550/BGDĐT-GDTX", "2020-09-08"). */
    number: z.string().min(1).optional(),
    date: isoDate.optional(),
    /** Ids of the letter's sections that FAQ answers may cite as their source. */
    sections: z.array(sectionId).min(1),
  })
  .strict();

/** One edition of the Week (content/editions/<year>.json): the facts of its letter. */
export const editionSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    name: localized,
    theme: localized,
    startDate: isoDate,
    endDate: isoDate,
    openingDate: isoDate,
    reportDeadline: isoDate,
    /** Where provinces send their report (the letter's recipient and e-mail address). */
    report: z
      .object({
        recipient: localized,
        email: z.string().email('must be an e-mail address like name@moet.gov.vn').optional(),
      })
      .strict()
      .optional(),
    letter: letterSchema.optional(),
    purpose: localized,
    activities: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: localized, text: localized }))
      .min(1),
  })
  .strict()
  .refine((e) => e.startDate <= e.endDate, {
    message: 'endDate must not be before startDate',
    path: ['endDate'],
  })
  .refine((e) => e.openingDate >= e.startDate && e.openingDate <= e.endDate, {
    message: 'openingDate must fall between startDate and endDate',
    path: ['openingDate'],
  })
  .refine((e) => e.reportDeadline > e.endDate, {
    message: 'reportDeadline must be after endDate (results are reported once the Week is over)',
    path: ['reportDeadline'],
  })
  .refine((e) => e.startDate.slice(0, 4) === String(e.year), {
    message: 'startDate must be in the edition’s year',
    path: ['startDate'],
  });
export type Edition = z.infer<typeof editionSchema>;
