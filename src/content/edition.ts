import { z } from 'zod';
import { localized } from './localized.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01');

/** The edition of the Week the bot talks about (content/edition.json). */
export const editionSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    name: localized,
    theme: localized,
    startDate: isoDate,
    endDate: isoDate,
    openingDate: isoDate,
    reportDeadline: isoDate,
    purpose: localized,
    activities: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: localized, text: localized }))
      .min(1),
  })
  .refine((e) => e.startDate <= e.endDate, {
    message: 'startDate must not be after endDate',
    path: ['endDate'],
  });
export type Edition = z.infer<typeof editionSchema>;
