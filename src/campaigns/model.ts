import type { Content } from '../content/load.js';
import { findCourse, findSession } from '../content/courses.js';

/** What a campaign source is: where the link or QR code is printed or posted. */
export const CAMPAIGN_KINDS = [
  'banner',
  'poster',
  'vehicle',
  'school',
  'social-post',
  'press',
] as const;
/** One of CAMPAIGN_KINDS. */
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** The three platforms a campaign makes a link for. */
export const LINK_PLATFORMS = ['zalo', 'messenger', 'viber'] as const;
/** One of LINK_PLATFORMS. */
export type LinkPlatform = (typeof LINK_PLATFORMS)[number];

/** A campaign reference: lower-case letters, digits and single hyphens, 2-40 characters. */
export const REF_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$/;

/** Prefix that marks a deep-link ref (or a typed code) as a campaign's: `c-<ref>`. */
export const LINK_PREFIX = 'c-';

/** The deep-link reference the links carry for a campaign ref. */
export function linkRef(ref: string): string {
  return `${LINK_PREFIX}${ref}`;
}

/** The campaign ref inside a deep-link ref, or undefined when it is not a campaign's. */
export function campaignRefOf(linkValue: string): string | undefined {
  return linkValue.startsWith(LINK_PREFIX) ? linkValue.slice(LINK_PREFIX.length) : undefined;
}

/** A campaign as the admin API and the flows see it. */
export interface Campaign {
  id: number;
  ref: string;
  name: string;
  kind: CampaignKind;
  place: string;
  /** Province unit id (e.g. `nghe-an`). */
  province: string;
  /** The flow its links open ("registration:<id>", "faq:<id>", "announcements"), or null. */
  flow: string | null;
  createdAt: number;
  retiredAt: number | null;
}

/**
 * A kind of flow a campaign link can open. Add an entry to FLOW_KINDS for a new flow (a quiz...):
 * how its target id is checked against the content, and the button payload that opens it.
 */
export interface FlowKind {
  name: string;
  /** Whether the target needs an id after the colon (`faq:<entry id>`), may have one, or none. */
  id: 'required' | 'optional' | 'none';
  /** Why the id does not fit the content, or undefined when it does. */
  check(id: string | undefined, content: Content): string | undefined;
  /** The payload the bot's features already answer (a button with it opens the flow). */
  payload(id: string | undefined): string;
}

/** Every flow a campaign can open, by the name before the colon. */
export const FLOW_KINDS: readonly FlowKind[] = [
  {
    name: 'registration',
    id: 'optional',
    check: (id, content) =>
      id === undefined ||
      findCourse(content.courses, id) !== undefined ||
      findSession(content.courses, id) !== undefined
        ? undefined
        : `no course or session "${id}" in courses.json`,
    payload: (id) => (id === undefined ? 'REGISTER' : `REGISTER:${id}`),
  },
  {
    name: 'announcements',
    id: 'none',
    check: () => undefined,
    payload: () => 'SUBSCRIBE',
  },
  {
    name: 'faq',
    id: 'required',
    check: (id, content) =>
      content.faq.some((e) => e.id === id) ? undefined : `no FAQ entry "${id}" in faq.json`,
    payload: (id) => `FAQ:${id}`,
  },
];

/** A parsed flow target. */
export interface FlowTarget {
  kind: FlowKind;
  id: string | undefined;
}

/** Reads `name` or `name:id`; a message saying what is wrong when it does not fit. */
export function parseFlow(raw: string, content: Content): FlowTarget | string {
  const match = /^([a-z][a-z-]{1,30})(?::([A-Za-z0-9_.-]{1,80}))?$/.exec(raw);
  const names = FLOW_KINDS.map((k) => k.name).join(', ');
  if (!match) return `"${raw}" is not a flow: use one of ${names} (e.g. "faq:dates").`;
  const kind = FLOW_KINDS.find((k) => k.name === match[1]);
  if (!kind) return `"${match[1]}" is not a flow: use one of ${names}.`;
  const id = match[2];
  if (kind.id === 'required' && id === undefined)
    return `"${kind.name}" needs an id: "${kind.name}:<id>".`;
  if (kind.id === 'none' && id !== undefined) return `"${kind.name}" takes no id.`;
  const problem = kind.check(id, content);
  return problem ?? { kind, id };
}
