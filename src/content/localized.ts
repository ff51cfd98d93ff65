import { z } from 'zod';
import type { Locale } from '../core/events.js';

/** A text an organiser writes in both languages. */
export const localized = z.object({ vi: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localized>;

/** The text in a language. */
export function pick(text: Localized, locale: Locale): string {
  return text[locale];
}
