import { localDayOf } from '../../registration/time.js';
import { readDaily } from '../../store/daily-counts-repo.js';
import type { Cell } from '../model.js';
import { add, both, REPORT_CHANNELS, type SectionSource } from '../section.js';

/** Inbound event kinds that are a person writing or tapping a button. */
const CITIZEN_KINDS = ['message', 'postback'];

/**
 * Messages per day over the period: what people sent (messages and button taps, per platform:
 * the daily counters the inbox purge leaves plus the inbox rows not purged yet) and the
 * announcements the bot sent.
 */
export const messagesSection: SectionSource = {
  id: 'messages',
  async collect({ db, window, t }) {
    const { days, timezone, from, to } = window;
    const dayOf = localDayOf(timezone);
    const inbound = new Map<string, number>();
    const first = days[0] ?? '';
    const last = days[days.length - 1] ?? '';
    for (const r of await readDaily(db, 'inbound:', first, last)) {
      const [, channel, kind] = r.key.split(':');
      if (kind && CITIZEN_KINDS.includes(kind)) add(inbound, `${r.day}|${channel}`, r.n);
    }
    const live = await db
      .selectFrom('inbox')
      .select(['channel', 'received_at'])
      .where('kind', 'in', CITIZEN_KINDS)
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .execute();
    for (const r of live) add(inbound, `${dayOf(Number(r.received_at))}|${r.channel}`);
    const sentRows = await db
      .selectFrom('deliveries')
      .select('sent_at')
      .where('status', '=', 'sent')
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .execute();
    const sent = new Map<string, number>();
    for (const r of sentRows) add(sent, dayOf(Number(r.sent_at)));

    const channels = REPORT_CHANNELS.filter(
      (c) => c !== 'simulator' || [...inbound.keys()].some((k) => k.endsWith('|simulator')),
    );
    const rows = days.map((day) => {
      const row: Record<string, Cell> = { day };
      let received = 0;
      for (const c of channels) {
        const n = inbound.get(`${day}|${c}`) ?? 0;
        row[c] = n;
        received += n;
      }
      row.received = received;
      row.sent = sent.get(day) ?? 0;
      return row;
    });
    const total: Record<string, Cell> = { day: both(t, 'col.total') };
    for (const key of [...channels, 'received', 'sent'])
      total[key] = rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
    return {
      id: 'messages',
      part: 'publicity',
      title: both(t, 'messages.title'),
      figures: [
        { key: 'received', label: both(t, 'messages.col.received'), value: Number(total.received) },
        { key: 'sent', label: both(t, 'messages.col.sent'), value: Number(total.sent) },
      ],
      tables: [
        {
          id: 'messages-per-day',
          title: both(t, 'messages.table'),
          columns: [
            { key: 'day', title: both(t, 'col.day') },
            ...channels.map((c) => ({ key: c, title: both(t, `channel.${c}`) })),
            { key: 'received', title: both(t, 'messages.col.received') },
            { key: 'sent', title: both(t, 'messages.col.sent') },
          ],
          rows,
          total,
        },
      ],
      notes: [both(t, 'messages.note')],
    };
  },
};
