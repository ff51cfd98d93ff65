import type { ChannelId, Locale } from '../core/events.js';
import type { Topic } from './topics.js';

/** Where a broadcast is in its life: a dry run is kept as a draft that can be queued later. */
export type BroadcastStatus = 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled';

/** Where one recipient's delivery is; `unknown` means a crash hit while the send was in flight. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown';

/** Every delivery status, in the order reports list them. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'skipped',
  'unknown',
];

/** The announcement per language; Vietnamese is required and is the fallback. */
export type BroadcastMessage = { vi: string } & Partial<Record<Exclude<Locale, 'vi'>, string>>;

/** An optional button under the announcement that starts a flow (its payload) when tapped. */
export interface BroadcastButton {
  payload: string;
  title: BroadcastMessage;
}

/** Who a broadcast is for; every present criterion must hold (an absent one does not filter). */
export interface Segment {
  channels?: ChannelId[];
  provinces?: string[];
  audiences?: string[];
  topics?: Topic[];
  languages?: Locale[];
  /** People registered for a course or a session (needs the registrations feature). */
  registered?: { course?: string; session?: string };
}

/** A broadcast as the rest of the code sees it. */
export interface Broadcast {
  id: number;
  status: BroadcastStatus;
  message: BroadcastMessage;
  button: BroadcastButton | null;
  segment: Segment;
  scheduleAt: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}
