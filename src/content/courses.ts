import { z } from 'zod';
import { provinceById } from '../registration/provinces.js';
import { localized } from './localized.js';

/** The two kinds of activity people register for (the letter, section 4c). */
export const COURSE_KINDS = ['online-course', 'safe-internet'] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];

/** The letter's audiences: pupils, students, parents, public servants, workers, and citizens at large. */
export const AUDIENCES = [
  'pupil',
  'student',
  'parent',
  'public-servant',
  'worker',
  'citizen',
] as const;
export type Audience = (typeof AUDIENCES)[number];

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 lower-case letters, digits or "-"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2020-10-01');
// An explicit UTC offset keeps the time unambiguous whatever the server's time zone.
const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/,
    'must be a date-time with a UTC offset, like 2020-10-02T08:00:00+07:00',
  );
const province = z.string().refine((p) => provinceById(p) !== undefined, {
  message:
    'is not a provincial-level unit id (see src/registration/provinces.ts, e.g. "ha-noi", "nghe-an")',
});

const scheduled = z.object({
  type: z.literal('scheduled'),
  start: isoDateTime,
  end: isoDateTime,
  /** Registration closes at this time (default: when the session starts). */
  registrationCloses: isoDateTime.optional(),
});
const selfPaced = z.object({
  type: z.literal('self-paced'),
  /** First day registration is open (default: always). */
  opens: isoDate.optional(),
  /** Last day registration is open, inclusive (default: no end). */
  closes: isoDate.optional(),
});

/** One session of a course (a date and place, or a self-paced run), with its seats. */
export const sessionSchema = z
  .object({
    id,
    schedule: z.discriminatedUnion('type', [scheduled, selfPaced]),
    place: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('online'),
        /** The class link; only a demonstration course may leave it out. */
        url: z.string().url('must be an https:// link').optional(),
      }),
      z.object({ type: z.literal('venue'), address: localized }),
    ]),
    /** The provincial-level unit the session is for (absent: anyone, e.g. online). */
    province: province.optional(),
    capacity: z.number().int().min(1).max(100_000),
  })
  .refine(
    (s) =>
      s.schedule.type !== 'scheduled' || Date.parse(s.schedule.start) < Date.parse(s.schedule.end),
    {
      message: 'schedule.end must be after schedule.start',
      path: ['schedule', 'end'],
    },
  );

/** One course or training of content/courses.json, with its sessions. */
export const courseSchema = z
  .object({
    id,
    kind: z.enum(COURSE_KINDS),
    title: localized,
    description: localized.optional(),
    audiences: z.array(z.enum(AUDIENCES)).min(1),
    /** Demonstration course (development only): the bot says so, production refuses it. */
    sample: z.boolean().default(false),
    /** Registration closed by the organiser (absent: open as each session's schedule says). */
    closed: z.boolean().optional(),
    sessions: z.array(sessionSchema).min(1),
  })
  .superRefine((c, ctx) => {
    c.sessions.forEach((s, j) => {
      if (!c.sample && s.place.type === 'online' && s.place.url === undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'an online session needs its link (url)',
          path: ['sessions', j, 'place', 'url'],
        });
    });
  });

/** content/courses.json: online courses and safe-internet training sessions people register for. */
export const catalogueSchema = z
  .object({
    note: z.string().optional(),
    courses: z.array(courseSchema),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.courses.forEach((co, i) => {
      for (const [value, path] of [
        [co.id, ['courses', i, 'id']] as const,
        ...co.sessions.map((s, j) => [s.id, ['courses', i, 'sessions', j, 'id']] as const),
      ]) {
        if (seen.has(value))
          ctx.addIssue({ code: 'custom', message: `id "${value}" is used twice`, path: [...path] });
        seen.add(value);
      }
    });
  });

export type Catalogue = z.infer<typeof catalogueSchema>;
export type Course = Catalogue['courses'][number];
export type Session = Course['sessions'][number];

/** A session with the course it belongs to. */
export interface SessionRef {
  course: Course;
  session: Session;
}

/** Finds a session by id. */
export function findSession(catalogue: Catalogue, sessionId: string): SessionRef | undefined {
  for (const course of catalogue.courses) {
    const session = course.sessions.find((s) => s.id === sessionId);
    if (session) return { course, session };
  }
  return undefined;
}

/** Finds a course by id. */
export function findCourse(catalogue: Catalogue, courseId: string): Course | undefined {
  return catalogue.courses.find((c) => c.id === courseId);
}

/** Start time (epoch ms) of a scheduled session; undefined for a self-paced one. */
export function sessionStart(session: Session): number | undefined {
  return session.schedule.type === 'scheduled' ? Date.parse(session.schedule.start) : undefined;
}

/** End time (epoch ms) of a scheduled session; undefined for a self-paced one. */
export function sessionEnd(session: Session): number | undefined {
  return session.schedule.type === 'scheduled' ? Date.parse(session.schedule.end) : undefined;
}

/**
 * Whether registration is open at `now`. `dayStart(iso)` turns a local calendar day into epoch ms
 * in the bot's time zone (self-paced courses open and close on whole days).
 */
export function isOpen(session: Session, now: number, dayStart: (iso: string) => number): boolean {
  const s = session.schedule;
  if (s.type === 'scheduled') return now < Date.parse(s.registrationCloses ?? s.start);
  if (s.opens && now < dayStart(s.opens)) return false;
  if (s.closes && now >= dayStart(nextDay(s.closes))) return false;
  return true;
}

/** The calendar day after an ISO date (2020-10-31 -> 2020-11-01). */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
