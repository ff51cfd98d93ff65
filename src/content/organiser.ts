import { z } from 'zod';
import { provinceById } from '../registration/provinces.js';
import { localized } from './localized.js';

/** Which edition the bot presents as current: the one of the clock's year, or a pinned year. */
export const currentEditionSchema = z.union([
  z.literal('by-date'),
  z.number().int().min(2000).max(2100),
]);
export type CurrentEdition = z.infer<typeof currentEditionSchema>;

/**
 * content/organiser.json: who runs this bot, kept apart from the letter's facts. Every field is
 * the organiser's own; the letter says nothing about them.
 */
export const organiserSchema = z
  .object({
    note: z.string().optional(),
    /** Demonstration data for development; refused with NODE_ENV=production. */
    sample: z.boolean().default(false),
    currentEdition: currentEditionSchema.default('by-date'),
    /** The provincial-level unit the organiser serves (e.g. "nghe-an"). */
    province: z
      .string()
      .refine((p) => provinceById(p) !== undefined, {
        message: 'is not a provincial-level unit id (e.g. "ha-noi", "nghe-an")',
      })
      .optional(),
    /** Who processes personal data (named in the consent notice). */
    controller: z.object({ name: localized, address: localized.optional() }).strict(),
    /** How citizens reach the organisers; any may be left out (the bot then says so). */
    contacts: z
      .object({
        phone: z
          .string()
          .regex(/^\+?[\d .()-]{6,20}$/, 'must be a phone number')
          .optional(),
        email: z.string().email('must be an e-mail address').optional(),
        website: z
          .string()
          .url()
          .regex(/^https:\/\//, 'must start with https://')
          .optional(),
        address: localized.optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .refine((o) => o.sample || o.controller.address !== undefined, {
    message: 'the data controller’s address is required (the consent notice names it)',
    path: ['controller', 'address'],
  });
export type Organiser = z.infer<typeof organiserSchema>;

/** The data controller as the consent notice names it: name, then address when known. */
export function controllerText(organiser: Organiser, locale: 'vi' | 'en'): string {
  const { name, address } = organiser.controller;
  return address ? `${name[locale]}, ${address[locale]}` : name[locale];
}
