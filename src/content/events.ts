import { z } from 'zod';
import { localized } from './localized.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01');
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 08:30 (24-hour clock)');

/** Who an event is for; the labels are in locales/<lang>/events.json. */
export const AUDIENCES = [
  'everyone',
  'pupils',
  'students',
  'parents',
  'teachers',
  'public-servants',
  'workers',
] as const;
export type Audience = (typeof AUDIENCES)[number];

const eventSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
    title: localized,
    /** First day, local time of BOT_TIMEZONE. */
    date: isoDate,
    /** Last day, for events of several days. */
    endDate: isoDate.optional(),
    time: clockTime.optional(),
    endTime: clockTime.optional(),
    place: localized.optional(),
    onlineUrl: z
      .string()
      .url('must be a full link like https://...')
      .regex(/^https?:\/\//, 'must start with https:// or http://')
      .optional(),
    province: localized.optional(),
    audience: z.array(z.enum(AUDIENCES)).default([]),
    description: localized,
    /** Organiser sample to replace before going live; shown with a "sample" label. */
    sample: z.boolean().default(false),
    source: z.string().optional(),
  })
  .strict()
  .refine((e) => e.endDate === undefined || e.endDate >= e.date, {
    message: 'endDate must not be before date',
    path: ['endDate'],
  })
  .refine((e) => e.endTime === undefined || e.time !== undefined, {
    message: 'endTime needs a time',
    path: ['endTime'],
  })
  .refine(
    (e) =>
      e.endTime === undefined ||
      e.time === undefined ||
      (e.endDate !== undefined && e.endDate > e.date) ||
      e.endTime > e.time,
    { message: 'endTime must be after time', path: ['endTime'] },
  );

/** One event of content/events.json. */
export type WeekEvent = z.infer<typeof eventSchema>;

/** content/events.json: what happens when and where during the Week. */
export const eventsSchema = z
  .object({ events: z.array(eventSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.events.forEach((event, i) => {
      if (ids.has(event.id))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'id'],
          message: `duplicate id "${event.id}"`,
        });
      ids.add(event.id);
    });
  });
export type Events = z.infer<typeof eventsSchema>;

/** Events in the order the bot lists them: by day, then by time. */
export function byDate(events: readonly WeekEvent[]): WeekEvent[] {
  return [...events].sort((a, b) =>
    `${a.date} ${a.time ?? ''}`.localeCompare(`${b.date} ${b.time ?? ''}`),
  );
}
