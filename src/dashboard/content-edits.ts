import { catalogueSchema } from '../content/courses.js';
import type { Content } from '../content/load.js';
import type { KvRepo } from '../store/kv-repo.js';

const KEY = 'content:session-capacity';

/** How a capacity change ended. */
export type CapacityResult =
  | { ok: true }
  | { ok: false; kind: 'invalid'; message: string }
  | { ok: false; kind: 'conflict'; current: number }
  | { ok: false; kind: 'unknown-session' };

/**
 * Seats per session changed from the dashboard: kept in `kv` over content/courses.json, checked
 * with the catalogue's own schema, applied to the live catalogue (registrations read it on every
 * seat), so a change takes effect without a restart and survives one.
 */
export class CapacityEdits {
  constructor(
    private readonly kv: KvRepo,
    private readonly content: Content,
    private readonly now: () => number,
  ) {}

  /** Applies the stored capacities (unknown sessions, e.g. after a content change, are ignored). */
  async load(): Promise<void> {
    const stored = (await this.kv.get<Record<string, number>>(KEY)) ?? {};
    this.apply(stored);
  }

  /** Sets a session's capacity; `expected` is the capacity the organiser saw. */
  async set(sessionId: string, capacity: number, expected: number): Promise<CapacityResult> {
    await this.load();
    const session = this.content.courses.courses
      .flatMap((c) => c.sessions)
      .find((s) => s.id === sessionId);
    if (!session) return { ok: false, kind: 'unknown-session' };
    if (session.capacity !== expected)
      return { ok: false, kind: 'conflict', current: session.capacity };
    const stored = (await this.kv.get<Record<string, number>>(KEY)) ?? {};
    const next = { ...stored, [sessionId]: capacity };
    const candidate = structuredClone(this.content.courses);
    for (const s of candidate.courses.flatMap((c) => c.sessions))
      if (next[s.id] !== undefined) s.capacity = next[s.id]!;
    const parsed = catalogueSchema.safeParse(candidate);
    if (!parsed.success)
      return { ok: false, kind: 'invalid', message: parsed.error.issues[0]!.message };
    await this.kv.set(KEY, next, this.now());
    this.apply(next);
    return { ok: true };
  }

  private apply(capacities: Record<string, number>): void {
    const candidate = structuredClone(this.content.courses);
    for (const s of candidate.courses.flatMap((c) => c.sessions))
      if (capacities[s.id] !== undefined) s.capacity = capacities[s.id]!;
    const parsed = catalogueSchema.safeParse(candidate);
    if (parsed.success) this.content.courses = parsed.data;
  }
}
