import type { Kysely } from 'kysely';
import { byDate, eventsSchema, type WeekEvent } from '../content/events.js';
import type { Content } from '../content/load.js';
import { organiserSchema, type Organiser } from '../content/organiser.js';
import { firstPlaceholder } from '../content/placeholders.js';
import { isUniqueViolation } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { dashboardDb, type ContentChangeTable, type DashboardDatabase } from './schema.js';

/** The organiser's contacts as content/organiser.json holds them. */
export type Contacts = Organiser['contacts'];

/** What a change is about. */
export type ItemKind = ContentChangeTable['kind'];

/** The item id of the contacts (there is one set). */
export const CONTACTS = 'contacts';

/** One field the content schema refused: its path inside the item, the zod code and message. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

/** How a change ended. */
export type ContentChangeResult =
  | { ok: true; version: number; id: string }
  | { ok: false; kind: 'invalid'; issues: FieldIssue[] }
  | { ok: false; kind: 'conflict'; current: number }
  | { ok: false; kind: 'unknown-event' };

/** One stored version of an item. */
export interface ContentChange {
  kind: ItemKind;
  item: string;
  version: number;
  action: string;
  actor: string;
  at: number;
  /** The item after the change; null when an event was removed. */
  data: WeekEvent | Contacts | null;
}

/**
 * Events and contacts as the bot tells them: content/events.json and organiser.json plus the
 * changes organisers made from the dashboard (kept in `content_changes`, every version with who
 * and when). A change is checked with the schemas and the placeholder rule of start-up, then
 * replaces `content.events` / `content.organiser`, which the flows read on every turn: it takes
 * effect without a restart, and survives one.
 */
export class ContentChanges {
  private readonly db: Kysely<DashboardDatabase>;
  private readonly baseEvents: WeekEvent[];
  private readonly baseOrganiser: Organiser;
  private versions = new Map<string, number>();

  constructor(
    db: Kysely<Database>,
    private readonly content: Content,
    private readonly now: () => number,
  ) {
    this.db = dashboardDb(db);
    this.baseEvents = structuredClone(content.events);
    this.baseOrganiser = structuredClone(content.organiser);
  }

  /** Reads the latest stored version of every changed item and applies them. */
  async load(): Promise<void> {
    const rows = await this.db
      .selectFrom('content_changes')
      .select(['kind', 'item', 'version', 'data'])
      .orderBy('kind')
      .orderBy('item')
      .orderBy('version')
      .execute();
    const latest = new Map<string, { version: number; data: unknown }>();
    for (const r of rows)
      latest.set(`${r.kind}:${r.item}`, {
        version: Number(r.version),
        data: JSON.parse(r.data) as unknown,
      });
    const events = this.mergedEvents(latest);
    const contacts = latest.get(`contacts:${CONTACTS}`)?.data as Contacts | undefined;
    // Stored versions were valid when saved; a content file changed since could break one:
    // the files then win rather than the bot refusing to start.
    const parsedEvents = eventsSchema.safeParse({ events });
    this.content.events = byDate(parsedEvents.success ? parsedEvents.data.events : this.baseEvents);
    const parsedOrganiser = organiserSchema.safeParse({
      ...this.baseOrganiser,
      contacts: contacts ?? this.baseOrganiser.contacts,
    });
    this.content.organiser = parsedOrganiser.success ? parsedOrganiser.data : this.baseOrganiser;
    this.versions = new Map([...latest].map(([key, v]) => [key, v.version]));
  }

  /** The version of an item: 0 while it is as the content file has it. */
  version(kind: ItemKind, item: string): number {
    return this.versions.get(`${kind}:${item}`) ?? 0;
  }

  /** The events the bot tells now. */
  events(): readonly WeekEvent[] {
    return this.content.events;
  }

  /** The contacts the bot gives now. */
  contacts(): Contacts {
    return this.content.organiser.contacts;
  }

  /**
   * Saves an event: a new one (its id made from the date and English title) when `id` is
   * undefined, else a changed one; `expected` is the version the organiser started from.
   */
  async saveEvent(
    id: string | undefined,
    fields: Omit<WeekEvent, 'id' | 'sample'>,
    actor: string,
    expected: number,
  ): Promise<ContentChangeResult> {
    await this.load();
    const existing = id === undefined ? undefined : this.content.events.find((e) => e.id === id);
    if (id !== undefined && !existing) return { ok: false, kind: 'unknown-event' };
    const eventId = existing?.id ?? this.newId(fields.date, fields.title.en);
    const event = {
      ...fields,
      id: eventId,
      sample: existing?.sample ?? false,
      ...(existing?.source ? { source: existing.source } : {}),
    };
    const others = this.content.events.filter((e) => e.id !== eventId);
    const parsed = eventsSchema.safeParse({ events: [...others, event] });
    if (!parsed.success)
      return {
        ok: false,
        kind: 'invalid',
        issues: parsed.error.issues
          .filter((i) => i.path[1] === others.length)
          .map((i) => ({ field: i.path.slice(2).join('.'), code: i.code, message: i.message })),
      };
    const placeholder = firstPlaceholder(event);
    if (placeholder) return { ok: false, kind: 'invalid', issues: [placeholderIssue(placeholder)] };
    const saved = parsed.data.events.at(-1)!;
    return this.store('event', eventId, saved, existing ? 'update' : 'create', actor, expected);
  }

  /** Removes an event from what the bot tells (kept in the history). */
  async removeEvent(id: string, actor: string, expected: number): Promise<ContentChangeResult> {
    await this.load();
    if (!this.content.events.some((e) => e.id === id)) return { ok: false, kind: 'unknown-event' };
    return this.store('event', id, null, 'remove', actor, expected);
  }

  /** Replaces the contacts (each field optional, as in organiser.json). */
  async saveContacts(
    contacts: Contacts,
    actor: string,
    expected: number,
  ): Promise<ContentChangeResult> {
    await this.load();
    const parsed = organiserSchema.safeParse({ ...this.content.organiser, contacts });
    if (!parsed.success)
      return {
        ok: false,
        kind: 'invalid',
        issues: parsed.error.issues
          .filter((i) => i.path[0] === 'contacts')
          .map((i) => ({ field: i.path.slice(1).join('.'), code: i.code, message: i.message })),
      };
    const placeholder = firstPlaceholder(contacts);
    if (placeholder) return { ok: false, kind: 'invalid', issues: [placeholderIssue(placeholder)] };
    return this.store('contacts', CONTACTS, parsed.data.contacts, 'update', actor, expected);
  }

  /** Every stored version of an item (or of all items), newest first. */
  async history(kind?: ItemKind, item?: string, limit = 50): Promise<ContentChange[]> {
    return contentHistory(this.db, { kind, item }, limit);
  }

  private mergedEvents(latest: Map<string, { data: unknown }>): unknown[] {
    const changed = (id: string) => latest.get(`event:${id}`);
    const merged: unknown[] = this.baseEvents
      .map((e) => (changed(e.id) ? changed(e.id)!.data : e))
      .filter((e) => e !== null);
    for (const [key, { data }] of latest)
      if (
        key.startsWith('event:') &&
        data !== null &&
        !this.baseEvents.some((e) => `event:${e.id}` === key)
      )
        merged.push(data);
    return merged;
  }

  private newId(date: string, title: string): string {
    const slug = title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/gi, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '');
    const base = [date.replace(/[^0-9-]/g, ''), slug].filter(Boolean).join('-') || 'event';
    const taken = (id: string) =>
      this.content.events.some((e) => e.id === id) || this.versions.has(`event:${id}`);
    let id = base;
    for (let n = 2; taken(id); n++) id = `${base}-${n}`;
    return id;
  }

  private async store(
    kind: ItemKind,
    item: string,
    data: WeekEvent | Contacts | null,
    action: string,
    actor: string,
    expected: number,
  ): Promise<ContentChangeResult> {
    const current = this.version(kind, item);
    if (current !== expected) return { ok: false, kind: 'conflict', current };
    try {
      await this.db
        .insertInto('content_changes')
        .values({
          kind,
          item,
          version: current + 1,
          data: JSON.stringify(data),
          action,
          actor,
          at: this.now(),
        })
        .execute();
    } catch (error) {
      // Another organiser saved this version first (possibly in another process).
      if (isUniqueViolation(error)) return { ok: false, kind: 'conflict', current: current + 1 };
      throw error;
    }
    await this.load();
    return { ok: true, version: current + 1, id: item };
  }
}

function placeholderIssue(found: { at: string[]; why: string }): FieldIssue {
  return { field: found.at.join('.'), code: 'placeholder', message: found.why };
}

/**
 * Stored versions of content items, newest first (by kind and item when given). A course's data
 * is not returned: its pages show who changed what and when, and read the course live.
 */
export async function contentHistory(
  db: Kysely<DashboardDatabase>,
  which: { kind?: ItemKind; item?: string },
  limit: number,
): Promise<ContentChange[]> {
  const { kind, item } = which;
  const rows = await db
    .selectFrom('content_changes')
    .selectAll()
    .$if(kind !== undefined, (q) => q.where('kind', '=', kind!))
    .$if(item !== undefined, (q) => q.where('item', '=', item!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    item: r.item,
    version: Number(r.version),
    action: r.action,
    actor: r.actor,
    at: Number(r.at),
    data: r.kind === 'course' ? null : (JSON.parse(r.data) as WeekEvent | Contacts | null),
  }));
}
