import type { Arrival, Conversion } from './repo.js';

/** Registrations and opt-ins count for a campaign when they follow an arrival within 7 days. */
export const ATTRIBUTION_DAYS = 7;
/** ATTRIBUTION_DAYS in milliseconds. */
export const ATTRIBUTION_MS = ATTRIBUTION_DAYS * 24 * 60 * 60 * 1000;

/** What one campaign (or the unknown references) brought in. */
export interface CampaignCounts {
  /** People new to the bot who arrived through the campaign's links (or typed its code). */
  firstContacts: number;
  /** People who had talked to the bot before and arrived through them. */
  returningContacts: number;
  /** Registrations (confirmed or waitlisted) credited to the campaign. */
  registrations: number;
  /** People who turned announcements on, credited to the campaign. */
  optIns: number;
}

/** All zeros. */
export function emptyCounts(): CampaignCounts {
  return { firstContacts: 0, returningContacts: 0, registrations: 0, optIns: 0 };
}

/** Adds b into a. */
export function addCounts(a: CampaignCounts, b: CampaignCounts): void {
  a.firstContacts += b.firstContacts;
  a.returningContacts += b.returningContacts;
  a.registrations += b.registrations;
  a.optIns += b.optIns;
}

/**
 * Counts per campaign id (null: unknown or retired references). People are counted once per
 * campaign: as a first contact if any of their arrivals through it was their first contact with
 * the bot, else as returning. A registration or an opt-in is credited to the campaign of the
 * person's latest arrival at most ATTRIBUTION_DAYS before it (last touch); one after an arrival
 * that named no known campaign is credited to none. An arrival whose person erased their data has
 * no contact: it still counts as one person, and nothing after it can be credited.
 */
export function attribute(
  arrivals: readonly Arrival[],
  conversions: readonly Conversion[],
  windowMs = ATTRIBUTION_MS,
): Map<number | null, CampaignCounts> {
  const result = new Map<number | null, CampaignCounts>();
  const counts = (id: number | null) => {
    let c = result.get(id);
    if (!c) result.set(id, (c = emptyCounts()));
    return c;
  };
  const people = new Map<number | null, Map<string, boolean>>();
  arrivals.forEach((a, i) => {
    let seen = people.get(a.campaignId);
    if (!seen) people.set(a.campaignId, (seen = new Map()));
    const who = a.contactId === null ? `arrival:${i}` : `contact:${a.contactId}`;
    seen.set(who, (seen.get(who) ?? false) || a.firstContact);
  });
  for (const [id, seen] of people) {
    const c = counts(id);
    for (const first of seen.values()) {
      if (first) c.firstContacts++;
      else c.returningContacts++;
    }
  }

  const byContact = new Map<number, Arrival[]>();
  for (const a of arrivals) {
    if (a.contactId === null) continue;
    const list = byContact.get(a.contactId) ?? [];
    list.push(a);
    byContact.set(a.contactId, list);
  }
  for (const list of byContact.values()) list.sort((x, y) => x.at - y.at);
  const optedIn = new Set<string>();
  for (const conversion of conversions) {
    const list = byContact.get(conversion.contactId) ?? [];
    let touch: Arrival | undefined;
    for (const a of list) if (a.at <= conversion.at) touch = a;
    if (!touch || touch.campaignId === null || conversion.at - touch.at > windowMs) continue;
    const c = counts(touch.campaignId);
    if (conversion.what === 'registration') c.registrations++;
    else {
      const key = `${touch.campaignId}:${conversion.contactId}`;
      if (optedIn.has(key)) continue;
      optedIn.add(key);
      c.optIns++;
    }
  }
  return result;
}
