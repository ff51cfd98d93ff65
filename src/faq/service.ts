import type { Kysely } from 'kysely';
import { faqSchema, type FaqEntry } from '../content/faq.js';
import type { Content } from '../content/load.js';
import type { Locale } from '../core/events.js';
import { isUniqueViolation } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { dashboardDb, type DashboardDatabase } from '../dashboard/schema.js';

/** One stored version of an FAQ entry. */
export interface FaqChange {
  entryId: string;
  version: number;
  action: string;
  actor: string;
  at: number;
  entry: FaqEntry;
}

/** How a change ended: saved, refused with a reason (field and message), or overtaken. */
export type FaqChangeResult =
  | { ok: true; version: number }
  | { ok: false; kind: 'invalid'; field: string; message: string }
  | { ok: false; kind: 'conflict'; current: number }
  | { ok: false; kind: 'unknown-entry' };

/**
 * The FAQ as the bot answers it: content/faq.json plus the changes organisers made at run time
 * (kept in `faq_changes`, every version with who and when). A change is validated like the file
 * at start-up, then replaces `content.faq` and asks for a new question index (`onChange`), so it
 * takes effect without a restart.
 */
export class FaqService {
  private readonly db: Kysely<DashboardDatabase>;
  private readonly base: FaqEntry[];
  private versions = new Map<string, number>();
  private signature = '';

  constructor(
    db: Kysely<Database>,
    private readonly content: Content,
    private readonly now: () => number,
    private readonly onChange: (content: Content) => void,
  ) {
    this.db = dashboardDb(db);
    this.base = structuredClone(content.faq);
  }

  /** Reads the latest stored version of every changed entry and applies them. */
  async load(): Promise<void> {
    const rows = await this.db
      .selectFrom('faq_changes')
      .select(['entry_id', 'version', 'entry'])
      .orderBy('entry_id')
      .orderBy('version')
      .execute();
    const latest = new Map<string, { version: number; entry: FaqEntry }>();
    for (const r of rows)
      latest.set(r.entry_id, {
        version: Number(r.version),
        entry: JSON.parse(r.entry) as FaqEntry,
      });
    const merged = this.base.map((e) => latest.get(e.id)?.entry ?? e);
    for (const [id, { entry }] of latest)
      if (!this.base.some((e) => e.id === id)) merged.push(entry);
    const parsed = faqSchema.safeParse({ entries: merged });
    // Stored versions were valid when saved; a content file changed since could break one:
    // the file then wins for that entry rather than the bot refusing to start.
    const signature = [...latest].map(([id, v]) => `${id}@${v.version}`).join(',');
    if (signature === this.signature) return;
    this.signature = signature;
    this.content.faq = parsed.success ? parsed.data.entries : this.base;
    this.versions = new Map([...latest].map(([id, v]) => [id, v.version]));
    this.onChange(this.content);
  }

  /** The entries the bot answers with now. */
  entries(): readonly FaqEntry[] {
    return this.content.faq;
  }

  /** The version of an entry: 0 while it is as content/faq.json has it. */
  version(entryId: string): number {
    return this.versions.get(entryId) ?? 0;
  }

  /** Adds a way of asking an existing entry (the question becomes a variant in one language). */
  async addVariant(
    entryId: string,
    lang: Locale,
    question: string,
    actor: string,
    expectedVersion: number,
  ): Promise<FaqChangeResult> {
    await this.load();
    const entry = this.content.faq.find((e) => e.id === entryId);
    if (!entry) return { ok: false, kind: 'unknown-entry' };
    const text = question.normalize('NFC').trim().replace(/\s+/g, ' ');
    if ([...text].length < 2 || [...text].length > 300)
      return { ok: false, kind: 'invalid', field: 'question', message: 'length' };
    if (entry.questions[lang].some((q) => q.toLowerCase() === text.toLowerCase()))
      return { ok: false, kind: 'invalid', field: 'question', message: 'duplicate' };
    const next = structuredClone(entry);
    next.questions[lang].push(text);
    return this.save(next, 'add-variant', actor, expectedVersion);
  }

  /** Creates or replaces a whole entry (validated with the rest of the FAQ). */
  async upsertEntry(
    entry: FaqEntry,
    actor: string,
    expectedVersion: number,
  ): Promise<FaqChangeResult> {
    await this.load();
    const exists = this.content.faq.some((e) => e.id === entry.id);
    return this.save(entry, exists ? 'update-entry' : 'create-entry', actor, expectedVersion);
  }

  /** Every stored version of an entry (or of all entries), newest first. */
  async history(entryId?: string, limit = 1000): Promise<FaqChange[]> {
    const rows = await this.db
      .selectFrom('faq_changes')
      .selectAll()
      .$if(entryId !== undefined, (q) => q.where('entry_id', '=', entryId!))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      entryId: r.entry_id,
      version: Number(r.version),
      action: r.action,
      actor: r.actor,
      at: Number(r.at),
      entry: JSON.parse(r.entry) as FaqEntry,
    }));
  }

  private async save(
    entry: FaqEntry,
    action: string,
    actor: string,
    expectedVersion: number,
  ): Promise<FaqChangeResult> {
    const current = this.version(entry.id);
    if (current !== expectedVersion) return { ok: false, kind: 'conflict', current };
    const others = this.content.faq.filter((e) => e.id !== entry.id);
    const parsed = faqSchema.safeParse({ entries: [...others, entry] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        ok: false,
        kind: 'invalid',
        field: issue.path.slice(2).join('.') || 'entry',
        message: issue.message,
      };
    }
    const saved = parsed.data.entries[parsed.data.entries.length - 1]!;
    try {
      await this.db
        .insertInto('faq_changes')
        .values({
          entry_id: entry.id,
          version: current + 1,
          entry: JSON.stringify(saved),
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
    return { ok: true, version: current + 1 };
  }
}
