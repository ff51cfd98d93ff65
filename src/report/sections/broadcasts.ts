import { localDay } from '../../registration/time.js';
import type { Cell } from '../model.js';
import { add, both, type SectionSource } from '../section.js';

/** Longest announcement excerpt shown beside its figures. */
const EXCERPT = 60;

const FUNNEL = ['planned', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown'] as const;

/**
 * Announcements started in the period (or scheduled in it), each with its funnel: recipients
 * planned, sent, delivered, read; and those not sent, by reason.
 */
export const broadcastsSection: SectionSource = {
  id: 'broadcasts',
  async collect({ db, window, t }) {
    const { from, to, timezone } = window;
    const broadcasts = await db
      .selectFrom('broadcasts')
      .select(['id', 'status', 'message', 'schedule_at', 'started_at'])
      .where('status', '!=', 'draft')
      .where((eb) =>
        eb.or([
          eb.and([eb('started_at', '>=', from), eb('started_at', '<', to)]),
          eb.and([
            eb('started_at', 'is', null),
            eb('schedule_at', '>=', from),
            eb('schedule_at', '<', to),
          ]),
        ]),
      )
      .orderBy('id')
      .execute();
    const ids = broadcasts.map((b) => Number(b.id));
    const counts = new Map<string, number>();
    const reasons = new Map<string, number>();
    if (ids.length > 0) {
      const rows = await db
        .selectFrom('deliveries')
        .select((eb) => ['broadcast_id', 'status', 'receipt', eb.fn.countAll<number>().as('n')])
        .where('broadcast_id', 'in', ids)
        .groupBy(['broadcast_id', 'status', 'receipt'])
        .execute();
      for (const r of rows) {
        const id = Number(r.broadcast_id);
        const n = Number(r.n);
        add(counts, `${id}|planned`, n);
        add(counts, `${id}|${r.status}`, n);
        // A read message was delivered too.
        if (r.receipt === 'delivered' || r.receipt === 'read') add(counts, `${id}|delivered`, n);
        if (r.receipt === 'read') add(counts, `${id}|read`, n);
      }
      const why = await db
        .selectFrom('deliveries')
        .select((eb) => ['status', 'reason', eb.fn.countAll<number>().as('n')])
        .where('broadcast_id', 'in', ids)
        .where('status', 'in', ['failed', 'skipped', 'unknown'])
        .groupBy(['status', 'reason'])
        .execute();
      for (const r of why) add(reasons, `${r.status}|${r.reason ?? '-'}`, Number(r.n));
    }
    const rows = broadcasts.map((b) => {
      const message = JSON.parse(b.message) as { vi?: string };
      const text = [...(message.vi ?? '').replace(/\s+/g, ' ').trim()];
      const row: Record<string, Cell> = {
        id: Number(b.id),
        day: localDay(Number(b.started_at ?? b.schedule_at), timezone),
        message: text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1).join('')}…` : text.join(''),
      };
      for (const k of FUNNEL) row[k] = counts.get(`${b.id}|${k}`) ?? 0;
      return row;
    });
    const total: Record<string, Cell> = { id: both(t, 'col.total'), day: '', message: '' };
    for (const k of FUNNEL) total[k] = rows.reduce((s, r) => s + Number(r[k]), 0);
    return {
      id: 'broadcasts',
      part: 'publicity',
      title: both(t, 'broadcasts.title'),
      figures: [
        { key: 'broadcasts', label: both(t, 'broadcasts.count'), value: rows.length },
        ...(['sent', 'delivered', 'read'] as const).map((k) => ({
          key: k,
          label: both(t, `broadcasts.col.${k}`),
          value: Number(total[k]),
        })),
      ],
      tables: [
        {
          id: 'broadcasts-funnel',
          title: both(t, 'broadcasts.table'),
          columns: [
            { key: 'id', title: both(t, 'broadcasts.col.id') },
            { key: 'day', title: both(t, 'col.day') },
            { key: 'message', title: both(t, 'broadcasts.col.message') },
            ...FUNNEL.map((k) => ({ key: k, title: both(t, `broadcasts.col.${k}`) })),
          ],
          rows,
          total,
        },
        {
          id: 'broadcasts-reasons',
          title: both(t, 'broadcasts.reasons'),
          columns: [
            { key: 'status', title: both(t, 'broadcasts.col.status') },
            { key: 'reason', title: both(t, 'broadcasts.col.reason') },
            { key: 'n', title: both(t, 'col.count') },
          ],
          rows: [...reasons.entries()]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([key, n]) => {
              const [status, reason] = key.split('|');
              return { status: both(t, `broadcasts.col.${status}`), reason: reason ?? '-', n };
            }),
        },
      ],
      notes: [both(t, 'broadcasts.note')],
    };
  },
};
