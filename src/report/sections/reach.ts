import type { FigureTable } from '../model.js';
import { add, both, REPORT_CHANNELS, type SectionSource } from '../section.js';

/**
 * People reached per platform: distinct contacts who wrote or followed (first contact or last
 * interaction in the period, or a registration or an unanswered question in it) or were sent an
 * announcement in it; and announcement opt-ins.
 */
export const reachSection: SectionSource = {
  id: 'reach',
  async collect({ db, window, t }) {
    const { from, to } = window;
    const wrote = new Set<string>();
    const messaged = new Set<string>();
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'channel', 'user_id', 'first_seen_at', 'last_inbound_at', 'opted_in'])
      .execute();
    const byId = new Map(contacts.map((c) => [Number(c.id), `${c.channel}:${c.user_id}`]));
    const inWindow = (ms: number | null) => ms !== null && Number(ms) >= from && Number(ms) < to;
    for (const c of contacts) {
      if (inWindow(c.first_seen_at) || inWindow(c.last_inbound_at))
        wrote.add(`${c.channel}:${c.user_id}`);
    }
    const registrants = await db
      .selectFrom('registrations')
      .select(['channel', 'user_id'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .execute();
    for (const r of registrants) wrote.add(`${r.channel}:${r.user_id}`);
    const askers = await db
      .selectFrom('unanswered_questions')
      .select('contact_id')
      .where('asked_at', '>=', from)
      .where('asked_at', '<', to)
      .where('contact_id', 'is not', null)
      .execute();
    for (const q of askers) {
      const key = byId.get(Number(q.contact_id));
      if (key) wrote.add(key);
    }
    const sent = await db
      .selectFrom('deliveries')
      .select(['channel', 'contact_id'])
      .where('status', '=', 'sent')
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .where('contact_id', 'is not', null)
      .execute();
    for (const d of sent) {
      const key = byId.get(Number(d.contact_id));
      if (key) messaged.add(key);
    }
    const optIns = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'in', ['subscription.opt_in', 'subscription.opt_out'])
      .where('at', '>=', from)
      .where('at', '<', to)
      .execute();

    const row = (channel: string) => ({
      channel,
      reached: 0,
      wrote: 0,
      messaged: 0,
      optedIn: 0,
      optIns: 0,
      optOuts: 0,
    });
    const rows = new Map<string, ReturnType<typeof row>>(REPORT_CHANNELS.map((c) => [c, row(c)]));
    const of = (channel: string) =>
      rows.get(channel) ?? rows.set(channel, row(channel)).get(channel)!;
    for (const key of new Set([...wrote, ...messaged])) of(key.split(':')[0]!).reached += 1;
    for (const key of wrote) of(key.split(':')[0]!).wrote += 1;
    for (const key of messaged) of(key.split(':')[0]!).messaged += 1;
    for (const c of contacts) if (c.opted_in === 1) of(c.channel).optedIn += 1;
    const events = new Map<string, number>();
    for (const e of optIns) {
      const channel = (JSON.parse(e.detail ?? '{}') as { channel?: string }).channel ?? 'unknown';
      add(events, `${e.action}:${channel}`);
    }
    for (const r of rows.values()) {
      r.optIns = events.get(`subscription.opt_in:${r.channel}`) ?? 0;
      r.optOuts = events.get(`subscription.opt_out:${r.channel}`) ?? 0;
    }
    const list = [...rows.values()].filter((r) => r.channel !== 'simulator' || r.reached > 0);
    const sum = (k: keyof ReturnType<typeof row>) =>
      list.reduce((s, r) => s + (typeof r[k] === 'number' ? r[k] : 0), 0);
    const keys = ['reached', 'wrote', 'messaged', 'optedIn', 'optIns', 'optOuts'] as const;
    const table: FigureTable = {
      id: 'reach-by-channel',
      title: both(t, 'reach.table'),
      columns: [
        { key: 'channel', title: both(t, 'col.channel') },
        ...keys.map((key) => ({ key, title: both(t, `reach.col.${key}`) })),
      ],
      rows: list.map((r) => ({ ...r, channel: both(t, `channel.${r.channel}`) })),
      total: {
        channel: both(t, 'col.total'),
        ...Object.fromEntries(keys.map((k) => [k, sum(k)])),
      },
    };
    return {
      id: 'reach',
      part: 'publicity',
      title: both(t, 'reach.title'),
      figures: [
        { key: 'reached', label: both(t, 'reach.col.reached'), value: sum('reached') },
        { key: 'optedIn', label: both(t, 'reach.col.optedIn'), value: sum('optedIn') },
      ],
      tables: [table],
      notes: [both(t, 'reach.note'), both(t, 'reach.noteOptIn')],
    };
  },
};
