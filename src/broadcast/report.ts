import type { ChannelId } from '../core/events.js';
import type { DeliveryCounts } from '../store/deliveries-repo.js';
import { DELIVERY_STATUSES, type Broadcast, type DeliveryStatus } from './model.js';
import type { Plan } from './planner.js';

/** Counts of deliveries: by status, plus receipts and billed messages. */
export type Counts = Record<DeliveryStatus | 'total' | 'delivered' | 'read' | 'billed', number>;

/** What the admin API answers about a broadcast. */
export interface BroadcastReport {
  id: number;
  status: Broadcast['status'];
  createdAt: string;
  scheduleAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  message: Broadcast['message'];
  button: Broadcast['button'];
  segment: Broadcast['segment'];
  counts: Counts;
  byChannel: Partial<Record<ChannelId, Counts & { reasons: Record<string, number> }>>;
  plan?: Plan;
}

function empty(): Counts {
  return {
    total: 0,
    pending: 0,
    sending: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    unknown: 0,
    delivered: 0,
    read: 0,
    billed: 0,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Adds delivery counts up per channel and overall. */
export function buildReport(
  broadcast: Broadcast,
  counts: DeliveryCounts,
  plan: Plan | undefined,
): BroadcastReport {
  const total = empty();
  const byChannel: BroadcastReport['byChannel'] = {};
  const channel = (id: ChannelId) => (byChannel[id] ??= { ...empty(), reasons: {} });
  for (const row of counts.rows) {
    if (!DELIVERY_STATUSES.includes(row.status)) continue;
    for (const c of [total, channel(row.channel)]) {
      c[row.status] += row.n;
      c.total += row.n;
      if (row.status === 'sent') c.billed += row.billed;
    }
  }
  for (const r of counts.receipts) {
    // A read message was delivered too.
    if (r.receipt === 'read' || r.receipt === 'delivered') {
      for (const c of [total, channel(r.channel)]) {
        c.delivered += r.n;
        if (r.receipt === 'read') c.read += r.n;
      }
    }
  }
  for (const r of counts.reasons) channel(r.channel).reasons[r.reason] = r.n;
  return {
    id: broadcast.id,
    status: broadcast.status,
    createdAt: iso(broadcast.createdAt)!,
    scheduleAt: iso(broadcast.scheduleAt)!,
    startedAt: iso(broadcast.startedAt),
    finishedAt: iso(broadcast.finishedAt),
    message: broadcast.message,
    button: broadcast.button,
    segment: broadcast.segment,
    counts: total,
    byChannel,
    ...(plan ? { plan } : {}),
  };
}
