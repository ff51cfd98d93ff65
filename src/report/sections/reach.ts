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
    // Distinct (channel, user) pairs are counted in SQL: a province has a hundred thousand.
    const wrote = db
      .selectFrom('contacts')
      .select(['channel', 'user_id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('first_seen_at', '>=', from), eb('first_seen_at', '<', to)]),
          eb.and([eb('last_inbound_at', '>=', from), eb('last_inbound_at', '<', to)]),
        ]),
      )
      .union(
        db
          .selectFrom('registrations')
          .select(['channel', 'user_id'])
          .where('created_at', '>=', from)
          .where('created_at', '<', to),
      )
      .union(
        db
          .selectFrom('unanswered_questions as q')
          .innerJoin('contacts as c', 'c.id', 'q.contact_id')
          .select(['c.channel', 'c.user_id'])
          .where('q.asked_at', '>=', from)
          .where('q.asked_at', '<', to),
      );
    const messaged = db
      .selectFrom('deliveries as d')
      .innerJoin('contacts as c', 'c.id', 'd.contact_id')
      .select(['c.channel', 'c.user_id'])
      .where('d.status', '=', 'sent')
      .where('d.sent_at', '>=', from)
      .where('d.sent_at', '<', to);
    const perChannel = async (query: typeof wrote | typeof messaged) => {
      const rows = await db
        .selectFrom(query.as('people'))
        .select((eb) => ['people.channel', eb.fn.countAll<number>().as('n')])
        .groupBy('people.channel')
        .execute();
      return new Map(rows.map((r) => [r.channel, Number(r.n)]));
    };
    const wroteBy = await perChannel(wrote);
    const messagedBy = await perChannel(messaged);
    const reachedBy = await perChannel(wrote.union(messaged));
    const optedInRows = await db
      .selectFrom('contacts')
      .select((eb) => ['channel', eb.fn.countAll<number>().as('n')])
      .where('opted_in', '=', 1)
      .groupBy('channel')
      .execute();
    const optedInBy = new Map(optedInRows.map((r) => [r.channel, Number(r.n)]));
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
    for (const [by, key] of [
      [reachedBy, 'reached'],
      [wroteBy, 'wrote'],
      [messagedBy, 'messaged'],
      [optedInBy, 'optedIn'],
    ] as const)
      for (const [channel, n] of by) of(channel)[key] = n;
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
