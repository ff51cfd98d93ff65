import { AUDIENCES } from '../content/courses.js';
import type { Locale } from '../core/events.js';
import type { Translate } from '../i18n.js';
import { formatDateTime, formatDay } from '../registration/time.js';
import type { Draft } from './draft.js';
import type { ReportEdition } from './edition.js';
import type { ReportPart, Snapshot, SnapshotSection } from './model.js';
import { formatNumber, presentTable, suppress, type PresentedTable } from './present.js';

/** One block of the report, in reading order; the Word, HTML and XLSX writers draw the same blocks. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; bold?: boolean; center?: boolean; italic?: boolean }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; table: PresentedTable };

/** The report in one language: the letterhead, then the blocks. */
export interface ReportDocument {
  locale: Locale;
  title: string;
  letterhead: { left: string[]; right: string[] };
  blocks: Block[];
  /** Every figure table (for the XLSX annex), bot figures first. */
  tables: PresentedTable[];
  /** What each figure means, where it comes from, and the snapshot used. */
  notes: string[];
  /** Edition, period, province, snapshot: label and value. */
  facts: Array<[string, string]>;
}

/** What a part of section II shows from the draft: its figures, by draft group and key. */
export const PART_FIGURES: Array<{ part: ReportPart; group: keyof Draft; keys: string[] }> = [
  {
    part: 'publicity',
    group: 'publicity',
    keys: [
      'mediaArticles',
      'portalPosts',
      'socialPosts',
      'socialReach',
      'banners',
      'slogans',
      'posters',
      'mobileVehicles',
    ],
  },
  { part: 'opening', group: 'ceremonies', keys: ['ceremonies', 'participants'] },
  { part: 'online', group: 'online', keys: ['programmes', 'openResources', 'participants'] },
  { part: 'safe-internet', group: 'safeInternet', keys: ['classes'] },
  { part: 'contests', group: 'contests', keys: ['contests', 'participants'] },
  {
    part: 'libraries',
    group: 'libraries',
    keys: ['libraries', 'bookshelves', 'readingSpaces', 'activities'],
  },
  { part: 'other-classes', group: 'otherClasses', keys: ['classes', 'participants'] },
  { part: 'commendations', group: 'commendations', keys: ['collectives', 'individuals'] },
  { part: 'funding', group: 'funding', keys: ['state', 'donated'] },
];

/** The draft's note shown under each part. */
export const NOTE_OF: Record<ReportPart, keyof Draft['notes']> = {
  publicity: 'publicity',
  opening: 'ceremonies',
  online: 'online',
  'safe-internet': 'safeInternet',
  contests: 'contests',
  libraries: 'libraries',
  'other-classes': 'otherClasses',
  commendations: 'commendations',
  funding: 'funding',
};

/** Organiser text as paragraphs (one per line typed; empty lines dropped). */
function paragraphs(text: string | undefined): Block[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ kind: 'paragraph' as const, text: line }));
}

/** Builds the report from an edition, a snapshot (absent: no bot figures yet) and the draft. */
export function buildDocument(input: {
  edition: ReportEdition;
  snapshot: Snapshot | undefined;
  draft: Draft;
  t: Translate;
  locale: Locale;
  timezone: string;
}): ReportDocument {
  const { edition, snapshot, draft, locale, timezone } = input;
  const tr = (key: string, vars?: Record<string, unknown>) =>
    input.t(locale, `report:${key}`, vars);
  const num = (n: number) => formatNumber(n, locale);
  const blocks: Block[] = [];
  const tables: PresentedTable[] = [];
  const sections = snapshot?.data.sections ?? [];
  const period = snapshot?.data.period ?? { from: edition.startDate, to: edition.endDate };
  const province = draft.province?.trim() || tr('doc.provinceMissing');
  const department = draft.department?.trim() || edition.department[locale];
  const title = tr('doc.title', { name: edition.name[locale] });

  blocks.push({ kind: 'paragraph', text: tr('doc.report'), bold: true, center: true });
  blocks.push({ kind: 'paragraph', text: title, bold: true, center: true });
  blocks.push({
    kind: 'paragraph',
    text: tr('doc.to', { recipient: edition.recipient[locale] }),
    center: true,
  });
  blocks.push({
    kind: 'paragraph',
    text: edition.letterRef
      ? tr('doc.basisRef', { ref: edition.letterRef, name: edition.name[locale] })
      : tr('doc.basis', { name: edition.name[locale] }),
  });
  blocks.push({
    kind: 'paragraph',
    text: tr('doc.period', {
      from: formatDay(period.from, locale),
      to: formatDay(period.to, locale),
      theme: edition.theme[locale],
    }),
  });
  if (!snapshot) blocks.push({ kind: 'paragraph', text: tr('warning.noSnapshot'), italic: true });
  for (const w of snapshot?.data.warnings ?? [])
    blocks.push({ kind: 'paragraph', text: w.message[locale], italic: true });

  blocks.push({ kind: 'heading', level: 1, text: tr('doc.direction') });
  if (draft.direction.length === 0)
    blocks.push({ kind: 'paragraph', text: tr('doc.nothingTyped'), italic: true });
  else
    blocks.push({
      kind: 'bullets',
      items: draft.direction.map((d) =>
        [d.ref, d.date ? formatDay(d.date, locale) : undefined, d.title]
          .filter(Boolean)
          .join(' – '),
      ),
    });

  blocks.push({ kind: 'heading', level: 1, text: tr('doc.results') });
  PART_FIGURES.forEach(({ part, group, keys }, i) => {
    blocks.push({ kind: 'heading', level: 2, text: `${i + 1}. ${tr(`part.${part}`)}` });
    const values = draft[group] as unknown as Record<string, number>;
    const items = keys.map((k) => `${tr(`draft.${group}.${k}`)}: ${num(values[k] ?? 0)}`);
    if (part === 'funding')
      items.push(
        `${tr('draft.funding.total')}: ${num((values.state ?? 0) + (values.donated ?? 0))}`,
      );
    if (part === 'safe-internet')
      items.push(
        `${tr('draft.safeInternet.participants')}: ${AUDIENCES.map(
          (a) =>
            `${input.t(locale, `registration:audience.${a}`)} ${suppress(draft.safeInternet.participants[a])}`,
        ).join('; ')}`,
      );
    blocks.push({ kind: 'paragraph', text: tr('doc.typed'), italic: true });
    blocks.push({ kind: 'bullets', items });
    blocks.push(...paragraphs(draft.notes[NOTE_OF[part]]));
    if (part === 'safe-internet' && draft.attendance.length > 0)
      blocks.push({ kind: 'table', table: attendanceTable(draft, locale, input.t) });
    for (const section of sections.filter((s) => s.part === part)) sectionBlocks(section);
  });

  function sectionBlocks(section: SnapshotSection): void {
    blocks.push({ kind: 'heading', level: 3, text: section.title[locale] });
    blocks.push({
      kind: 'bullets',
      items: section.figures.map(
        (f) => `${f.label[locale]}: ${f.small ? suppress(f.value) : num(f.value)}`,
      ),
    });
    for (const table of section.tables) {
      const presented = presentTable(table, locale);
      tables.push(presented);
      if (presented.rows.length > 0) blocks.push({ kind: 'table', table: presented });
      else
        blocks.push({
          kind: 'paragraph',
          text: `${presented.title}: ${tr('doc.noRows')}`,
          italic: true,
        });
    }
  }

  blocks.push({ kind: 'heading', level: 1, text: tr('doc.assessment') });
  blocks.push({ kind: 'heading', level: 2, text: tr('doc.strengths') });
  blocks.push(...orTyped(paragraphs(draft.strengths)));
  blocks.push({ kind: 'heading', level: 2, text: tr('doc.difficulties') });
  blocks.push(...orTyped(paragraphs(draft.difficulties)));
  blocks.push({ kind: 'heading', level: 1, text: tr('doc.proposals') });
  blocks.push(...orTyped(paragraphs(draft.proposals)));

  const typed = typedTable(draft, locale, input.t);
  tables.push(typed);
  blocks.push({ kind: 'heading', level: 1, text: tr('doc.annex') });
  blocks.push({ kind: 'table', table: typed });

  const notes = [
    snapshot
      ? tr('doc.snapshotNote', {
          id: snapshot.id,
          at: formatDateTime(snapshot.takenAt, locale, timezone),
        })
      : tr('warning.noSnapshot'),
    tr('doc.smallNote'),
    ...sections.flatMap((s) => s.notes.map((n) => n[locale])),
    ...(snapshot?.data.warnings ?? []).map((w) => w.message[locale]),
  ];
  blocks.push({ kind: 'heading', level: 2, text: tr('doc.notes') });
  blocks.push({ kind: 'bullets', items: notes });

  function orTyped(list: Block[]): Block[] {
    return list.length > 0
      ? list
      : [{ kind: 'paragraph', text: tr('doc.nothingTyped'), italic: true }];
  }

  return {
    locale,
    title,
    letterhead: {
      left: [
        tr('doc.committee', { province }).toLocaleUpperCase(locale),
        department.toLocaleUpperCase(locale),
      ],
      right: [tr('doc.republic'), tr('doc.motto')],
    },
    blocks,
    tables,
    notes,
    facts: [
      [tr('fact.edition'), edition.name[locale]],
      [tr('fact.province'), province],
      [tr('fact.department'), department],
      [tr('fact.period'), `${formatDay(period.from, locale)} – ${formatDay(period.to, locale)}`],
      [
        tr('fact.snapshot'),
        snapshot ? `#${snapshot.id}, ${formatDateTime(snapshot.takenAt, locale, timezone)}` : '–',
      ],
      [tr('fact.deadline'), formatDay(edition.reportDeadline, locale)],
    ],
  };
}

/** Attendance per session as the organiser recorded it. */
function attendanceTable(draft: Draft, locale: Locale, t: Translate): PresentedTable {
  return {
    id: 'attendance',
    title: t(locale, 'report:draft.attendance.title'),
    header: [t(locale, 'report:col.session'), t(locale, 'report:draft.attendance.attended')],
    rows: draft.attendance.map((a) => [a.sessionId, a.attended]),
    total: [
      t(locale, 'report:col.total'),
      draft.attendance.reduce((sum, a) => sum + a.attended, 0),
    ],
  };
}

/** The figures organisers typed, as one table (the annex's first table). */
function typedTable(draft: Draft, locale: Locale, t: Translate): PresentedTable {
  const rows: Array<Array<string | number>> = [];
  for (const { part, group, keys } of PART_FIGURES) {
    const values = draft[group] as unknown as Record<string, number>;
    for (const k of keys)
      rows.push([
        t(locale, `report:part.${part}`),
        t(locale, `report:draft.${group}.${k}`),
        values[k] ?? 0,
      ]);
    if (part === 'safe-internet')
      for (const a of AUDIENCES)
        rows.push([
          t(locale, `report:part.${part}`),
          `${t(locale, 'report:draft.safeInternet.participants')}: ${t(locale, `registration:audience.${a}`)}`,
          suppress(draft.safeInternet.participants[a]),
        ]);
  }
  return {
    id: 'typed-figures',
    title: t(locale, 'report:doc.typedTable'),
    header: [
      t(locale, 'report:col.part'),
      t(locale, 'report:col.item'),
      t(locale, 'report:col.count'),
    ],
    rows,
  };
}
