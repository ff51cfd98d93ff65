import { readDaily } from '../../store/daily-counts-repo.js';
import type { Cell } from '../model.js';
import { add, both, type SectionSource } from '../section.js';

/** How many topics the "asked most" table lists. */
const TOP = 10;

/**
 * Questions over the period, from the anonymous daily counters the FAQ feature keeps (no text):
 * typed questions answered directly, answers opened from a button, questions without an answer;
 * and the topics asked most.
 */
export const questionsSection: SectionSource = {
  id: 'questions',
  async collect({ db, window, content, t }) {
    const { days } = window;
    const perDay = new Map<string, number>();
    const topics = new Map<string, number>();
    const counters = await readDaily(db, 'faq:', days[0] ?? '', days[days.length - 1] ?? '');
    for (const r of counters) {
      const [, what, id] = r.key.split(':');
      if (!what) continue;
      add(perDay, `${r.day}|${what}`, r.n);
      if ((what === 'answered' || what === 'shown') && id) add(topics, id, r.n);
    }
    const kinds = ['answered', 'shown', 'unanswered'] as const;
    const rows = days.map((day) => {
      const row: Record<string, Cell> = { day };
      for (const k of kinds) row[k] = perDay.get(`${day}|${k}`) ?? 0;
      return row;
    });
    const total: Record<string, Cell> = { day: both(t, 'col.total') };
    for (const k of kinds) total[k] = rows.reduce((s, r) => s + Number(r[k]), 0);
    const top = [...topics.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP)
      .map(([id, n], i) => {
        const entry = content.faq.find((e) => e.id === id);
        const topic = entry ? entry.title : id === 'events' ? both(t, 'questions.events') : id;
        return { rank: i + 1, topic, n };
      });
    return {
      id: 'questions',
      part: 'publicity',
      title: both(t, 'questions.title'),
      figures: kinds.map((k) => ({
        key: k,
        label: both(t, `questions.col.${k}`),
        value: Number(total[k]),
      })),
      tables: [
        {
          id: 'questions-per-day',
          title: both(t, 'questions.table'),
          columns: [
            { key: 'day', title: both(t, 'col.day') },
            ...kinds.map((k) => ({ key: k, title: both(t, `questions.col.${k}`) })),
          ],
          rows,
          total,
        },
        {
          id: 'questions-topics',
          title: both(t, 'questions.topTable'),
          columns: [
            { key: 'rank', title: both(t, 'col.rank') },
            { key: 'topic', title: both(t, 'questions.col.topic') },
            { key: 'n', title: both(t, 'questions.col.n') },
          ],
          rows: top,
        },
      ],
      notes: [both(t, 'questions.note')],
    };
  },
};
