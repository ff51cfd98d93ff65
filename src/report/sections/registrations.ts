import { findCourse, findSession, type CourseKind } from '../../content/courses.js';
import { provinceName } from '../../registration/provinces.js';
import { formatDateTime } from '../../registration/time.js';
import type { Localized } from '../../content/localized.js';
import type { Cell, FigureTable, SnapshotSection } from '../model.js';
import { add, both, type SectionContext, type SectionSource } from '../section.js';

const STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;

/** Registrations of one kind of course, counted by status and broken down five ways. */
async function collectKind(ctx: SectionContext, kind: CourseKind): Promise<SnapshotSection> {
  const { db, content, edition, t, window } = ctx;
  const courseIds = edition.courseIds.filter(
    (id) => findCourse(content.courses, id)?.kind === kind,
  );
  const rows =
    courseIds.length === 0
      ? []
      : await db
          .selectFrom('registrations')
          .select(['course_id', 'session_id', 'province', 'audience', 'channel', 'status'])
          .where('course_id', 'in', courseIds)
          .execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    for (const [dim, value] of [
      ['course', r.course_id],
      ['session', r.session_id],
      ['province', r.province],
      ['audience', r.audience],
      ['channel', r.channel],
    ] as const)
      add(counts, `${dim}|${value}|${r.status}`);
    add(counts, `all|all|${r.status}`);
  }
  const n = (dim: string, value: string, status: string) =>
    counts.get(`${dim}|${value}|${status}`) ?? 0;
  const values = (dim: string) =>
    [
      ...new Set(
        [...counts.keys()].filter((k) => k.startsWith(`${dim}|`)).map((k) => k.split('|')[1]!),
      ),
    ].sort();
  const prefix = kind === 'safe-internet' ? 'training' : 'registrations';
  const statusColumns = STATUSES.map((s) => ({ key: s, title: both(t, `registrations.col.${s}`) }));
  const statusRow = (dim: string, value: string) =>
    Object.fromEntries(STATUSES.map((s) => [s, n(dim, value, s)])) as Record<string, Cell>;
  const totalRow = (label: string, only?: string): Record<string, Cell> => ({
    [label]: both(t, 'col.total'),
    ...Object.fromEntries((only ? [only] : STATUSES).map((s) => [s, n('all', 'all', s)])),
  });
  const sessionLabel = (id: string): Cell => {
    const start = findSession(content.courses, id)?.session.schedule;
    if (start?.type !== 'scheduled') return id;
    const ms = Date.parse(start.start);
    return {
      vi: `${id} (${formatDateTime(ms, 'vi', window.timezone)})`,
      en: `${id} (${formatDateTime(ms, 'en', window.timezone)})`,
    };
  };
  const courseTitle = (id: string): Cell => findCourse(content.courses, id)?.title ?? id;
  const breakdown = (dim: 'province' | 'audience' | 'channel', label: (v: string) => Cell) => ({
    id: `${prefix}-by-${dim}`,
    title: both(t, `${prefix}.by.${dim}`),
    columns: [
      { key: dim, title: both(t, `col.${dim}`) },
      { key: 'confirmed', title: both(t, 'registrations.col.confirmed') },
    ],
    rows: values(dim).map((v) => ({ [dim]: label(v), confirmed: n(dim, v, 'confirmed') })),
    total: totalRow(dim, 'confirmed'),
    ...(dim === 'channel' ? {} : { small: true }),
  });
  const tables: FigureTable[] = [
    {
      id: `${prefix}-by-course`,
      title: both(t, `${prefix}.by.course`),
      columns: [{ key: 'course', title: both(t, 'col.course') }, ...statusColumns],
      rows: courseIds.map((id) => ({ course: courseTitle(id), ...statusRow('course', id) })),
      total: totalRow('course'),
    },
    {
      id: `${prefix}-by-session`,
      title: both(t, `${prefix}.by.session`),
      columns: [{ key: 'session', title: both(t, 'col.session') }, ...statusColumns],
      rows: values('session').map((id) => ({
        session: sessionLabel(id),
        ...statusRow('session', id),
      })),
      total: totalRow('session'),
    },
    breakdown('province', (v): Localized => ({
      vi: provinceName(v, 'vi'),
      en: provinceName(v, 'en'),
    })),
    breakdown('audience', (v) => both(t, `registration:audience.${v}`)),
    breakdown('channel', (v) => both(t, `channel.${v}`)),
  ];
  return {
    id: prefix,
    part: kind === 'safe-internet' ? 'safe-internet' : 'online',
    title: both(t, `${prefix}.title`),
    figures: [
      {
        key: 'courses',
        label: both(t, `${prefix}.courses`),
        value: courseIds.length,
      },
      ...STATUSES.map((s) => ({
        key: s,
        label: both(t, `registrations.col.${s}`),
        value: n('all', 'all', s),
      })),
    ],
    tables,
    notes: [both(t, 'registrations.note'), both(t, 'registrations.noteAttendance')],
  };
}

/** Registrations for the edition's online courses. */
export const registrationsSection: SectionSource = {
  id: 'registrations',
  collect: (ctx) => collectKind(ctx, 'online-course'),
};

/** Safe-internet trainings: sessions and participants by group (audience). */
export const trainingSection: SectionSource = {
  id: 'training',
  collect: (ctx) => collectKind(ctx, 'safe-internet'),
};
