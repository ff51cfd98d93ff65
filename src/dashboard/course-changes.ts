import type { Kysely } from 'kysely';
import {
  catalogueSchema,
  findCourse,
  type Catalogue,
  type Course,
  type Session,
} from '../content/courses.js';
import type { Content } from '../content/load.js';
import { firstPlaceholder } from '../content/placeholders.js';
import type { RegistrationRepo } from '../registration/repo.js';
import { isUniqueViolation } from '../store/db.js';
import type { KvRepo } from '../store/kv-repo.js';
import type { Database } from '../store/schema.js';
import { contentHistory, type ContentChange, type FieldIssue } from './content-changes.js';
import { dashboardDb, type DashboardDatabase } from './schema.js';

/** Seats per session saved by earlier versions of the dashboard (kept as the base under changes). */
const LEGACY_CAPACITIES = 'content:session-capacity';

/** What an organiser edits of a course itself (its sessions are edited one by one). */
export type CourseFields = Pick<Course, 'kind' | 'title' | 'audiences'> &
  Partial<Pick<Course, 'description' | 'closed'>>;

/** A session as an organiser enters it; the id is made when left out. */
export type SessionFields = Omit<Session, 'id'> & { id?: string };

/** How a course or session change ended. */
export type CourseChangeResult =
  | { ok: true; version: number; course: string; session?: string }
  | { ok: false; kind: 'invalid'; issues: FieldIssue[] }
  | { ok: false; kind: 'conflict'; current: number }
  | { ok: false; kind: 'unknown-course' | 'unknown-session' }
  /** The session holds registrations the change would drop (confirmed seats, or any at all). */
  | { ok: false; kind: 'held'; session: string; taken: number; waitlist: number };

/**
 * Courses and their sessions as the bot offers them: content/courses.json plus the changes
 * organisers made from the dashboard or the API, each kept in `content_changes` as the whole
 * course after the change (with who and when). A change is checked with the catalogue schema and
 * placeholder rule of start-up, and against the registrations a session holds under the session's
 * row lock; it then replaces `content.courses`, which registrations read on every seat.
 */
export class CourseChanges {
  private readonly db: Kysely<DashboardDatabase>;
  private readonly base: Catalogue;
  private versions = new Map<string, number>();
  /** Every session id ever used (removed ones too: cancelled registrations still name them). */
  private usedIds = new Set<string>();

  constructor(
    db: Kysely<Database>,
    private readonly kv: KvRepo,
    private readonly content: Content,
    private readonly registrations: RegistrationRepo,
    private readonly now: () => number,
  ) {
    this.db = dashboardDb(db);
    this.base = structuredClone(content.courses);
  }

  /** Reads the latest stored version of every changed course and applies them. */
  async load(): Promise<void> {
    const base = await this.baseWithLegacyCapacities();
    const rows = await this.db
      .selectFrom('content_changes')
      .select(['item', 'version', 'data'])
      .where('kind', '=', 'course')
      .orderBy('item')
      .orderBy('version')
      .execute();
    const latest = new Map<string, { version: number; data: Course }>();
    const used = new Set(base.courses.flatMap((c) => c.sessions.map((s) => s.id)));
    for (const r of rows) {
      const data = JSON.parse(r.data) as Course;
      for (const s of data.sessions) used.add(s.id);
      latest.set(r.item, { version: Number(r.version), data });
    }
    const courses = base.courses.map((c) => latest.get(c.id)?.data ?? c);
    for (const [id, { data }] of latest) if (!findCourse(base, id)) courses.push(data);
    // Stored versions were valid when saved; a content file changed since could break one:
    // the file then wins rather than the bot refusing to start.
    const parsed = catalogueSchema.safeParse({ ...base, courses });
    this.content.courses = parsed.success ? parsed.data : base;
    this.versions = new Map([...latest].map(([id, v]) => [id, v.version]));
    this.usedIds = used;
  }

  /** The version of a course: 0 while it is as content/courses.json has it. */
  version(courseId: string): number {
    return this.versions.get(courseId) ?? 0;
  }

  /** The courses the bot offers now. */
  courses(): readonly Course[] {
    return this.content.courses.courses;
  }

  /**
   * Saves a course's own fields: a new course (id made from its English title, `sessions` its
   * first ones) when `id` is undefined, else a changed one keeping its sessions.
   */
  async saveCourse(
    id: string | undefined,
    fields: CourseFields & { sessions?: SessionFields[] },
    actor: string,
    expected: number,
  ): Promise<CourseChangeResult> {
    await this.load();
    const existing = id === undefined ? undefined : findCourse(this.content.courses, id);
    if (id !== undefined && !existing) return { ok: false, kind: 'unknown-course' };
    const { sessions: firstSessions, ...own } = fields;
    const courseId = existing?.id ?? this.newCourseId(fields.title.en);
    const sessions = existing
      ? existing.sessions
      : this.withIds(courseId, firstSessions ?? [], new Set());
    const course = { ...own, id: courseId, sample: existing?.sample ?? false, sessions };
    const checked = this.check(course, []);
    if (!checked.ok) return checked;
    return this.store(courseId, checked.catalogue, existing ? 'update' : 'create', actor, expected);
  }

  /** Saves a session of a course: a new one when `sessionId` is undefined. */
  async saveSession(
    courseId: string,
    sessionId: string | undefined,
    fields: SessionFields,
    actor: string,
    expected: number,
  ): Promise<CourseChangeResult> {
    await this.load();
    const course = findCourse(this.content.courses, courseId);
    if (!course) return { ok: false, kind: 'unknown-course' };
    const index =
      sessionId === undefined ? -1 : course.sessions.findIndex((s) => s.id === sessionId);
    if (sessionId !== undefined && index < 0) return { ok: false, kind: 'unknown-session' };
    const [session] =
      index >= 0 ? [{ ...fields, id: sessionId! }] : this.withIds(courseId, [fields], new Set());
    const sessions = [...course.sessions];
    if (index >= 0) sessions[index] = session!;
    else sessions.push(session!);
    const at = index >= 0 ? index : sessions.length - 1;
    const checked = this.check({ ...course, sessions }, ['sessions', at]);
    if (!checked.ok) return checked;
    const before = index >= 0 ? course.sessions[index]! : undefined;
    return this.store(
      courseId,
      checked.catalogue,
      index >= 0 ? 'session-update' : 'session-create',
      actor,
      expected,
      before
        ? { id: before.id, current: before.capacity, capacity: session!.capacity, keep: 'taken' }
        : undefined,
      session!.id,
    );
  }

  /** Removes a session nobody holds a registration for (confirmed or waitlisted). */
  async removeSession(
    courseId: string,
    sessionId: string,
    actor: string,
    expected: number,
  ): Promise<CourseChangeResult> {
    await this.load();
    const course = findCourse(this.content.courses, courseId);
    if (!course) return { ok: false, kind: 'unknown-course' };
    const session = course.sessions.find((s) => s.id === sessionId);
    if (!session) return { ok: false, kind: 'unknown-session' };
    const sessions = course.sessions.filter((s) => s.id !== sessionId);
    const checked = this.check({ ...course, sessions }, ['sessions']);
    if (!checked.ok) return checked;
    return this.store(
      courseId,
      checked.catalogue,
      'session-remove',
      actor,
      expected,
      { id: sessionId, current: session.capacity, capacity: 0, keep: 'all' },
      sessionId,
    );
  }

  /** Every stored version of a course, newest first. */
  async history(courseId: string, limit = 20): Promise<ContentChange[]> {
    return contentHistory(this.db, { kind: 'course', item: courseId }, limit);
  }

  /** The catalogue with this course in it, checked as start-up checks it. */
  private check(
    course: Course,
    within: Array<string | number>,
  ): { ok: true; catalogue: Catalogue } | { ok: false; kind: 'invalid'; issues: FieldIssue[] } {
    const courses = [...this.content.courses.courses];
    const i = courses.findIndex((c) => c.id === course.id);
    const at = i >= 0 ? i : courses.length;
    courses[at] = course;
    const parsed = catalogueSchema.safeParse({ ...this.content.courses, courses });
    if (!parsed.success) {
      const prefix = ['courses', at, ...within];
      const starts = (path: Array<string | number>) => prefix.every((p, k) => path[k] === p);
      const mine = parsed.error.issues.filter((issue) => starts(issue.path));
      return {
        ok: false,
        kind: 'invalid',
        issues: (mine.length > 0 ? mine : parsed.error.issues).map((issue) => ({
          field: issue.path.slice(mine.length > 0 ? prefix.length : 0).join('.'),
          code: issue.code,
          message: issue.message,
        })),
      };
    }
    const placeholder = firstPlaceholder(course);
    if (placeholder)
      return {
        ok: false,
        kind: 'invalid',
        issues: [
          {
            field: placeholder.at.slice(within.length).join('.'),
            code: 'placeholder',
            message: placeholder.why,
          },
        ],
      };
    return { ok: true, catalogue: parsed.data };
  }

  /**
   * Stores the course's new version and applies the catalogue. With `guard`, the session's row
   * lock is held meanwhile and the change is refused when it would drop registrations: `taken`
   * refuses fewer seats than are confirmed, `all` refuses any live registration.
   */
  private async store(
    courseId: string,
    catalogue: Catalogue,
    action: string,
    actor: string,
    expected: number,
    guard?: { id: string; current: number; capacity: number; keep: 'taken' | 'all' },
    session?: string,
  ): Promise<CourseChangeResult> {
    const current = this.version(courseId);
    if (current !== expected) return { ok: false, kind: 'conflict', current };
    const course = findCourse(catalogue, courseId)!;
    try {
      const held = await this.registrations.withSessionsLocked(
        guard ? [{ id: guard.id, capacity: guard.current }] : [],
        this.now(),
        async (seats, trx) => {
          const s = guard ? seats.get(guard.id) : undefined;
          if (guard && s) {
            const holds = guard.keep === 'all' ? s.taken + s.waitlist : s.taken;
            if (holds > guard.capacity)
              return { ok: false as const, kind: 'held' as const, session: guard.id, ...s };
          }
          await dashboardDb(trx)
            .insertInto('content_changes')
            .values({
              kind: 'course',
              item: courseId,
              version: current + 1,
              data: JSON.stringify(course),
              action,
              actor,
              at: this.now(),
            })
            .execute();
          // Applied before the lock is released: the next registration of this session
          // (waiting on the lock in this process) reads the new capacity.
          this.content.courses = catalogue;
          return undefined;
        },
      );
      if (held) return held;
    } catch (error) {
      await this.load();
      // Another organiser saved this version first (possibly in another process).
      if (isUniqueViolation(error)) return { ok: false, kind: 'conflict', current: current + 1 };
      throw error;
    }
    await this.load();
    return { ok: true, version: current + 1, course: courseId, ...(session ? { session } : {}) };
  }

  private async baseWithLegacyCapacities(): Promise<Catalogue> {
    const stored = (await this.kv.get<Record<string, number>>(LEGACY_CAPACITIES)) ?? {};
    const base = structuredClone(this.base);
    for (const s of base.courses.flatMap((c) => c.sessions))
      if (stored[s.id] !== undefined) s.capacity = stored[s.id]!;
    const parsed = catalogueSchema.safeParse(base);
    return parsed.success ? parsed.data : structuredClone(this.base);
  }

  private withIds(courseId: string, sessions: SessionFields[], taken: Set<string>): Session[] {
    return sessions.map((s) => {
      if (s.id !== undefined && s.id !== '') {
        taken.add(s.id);
        return { ...s, id: s.id };
      }
      const stem = courseId.slice(0, 44).replace(/-+$/, '');
      let n = 1;
      let id = `${stem}-${n}`;
      while (this.isTaken(id) || taken.has(id)) id = `${stem}-${++n}`;
      taken.add(id);
      return { ...s, id };
    });
  }

  private isTaken(id: string): boolean {
    return (
      this.usedIds.has(id) ||
      this.content.courses.courses.some((c) => c.id === id || c.sessions.some((s) => s.id === id))
    );
  }

  private newCourseId(title: string): string {
    const slug = title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/gi, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '');
    const base = slug || 'course';
    let id = base;
    for (let n = 2; this.isTaken(id) || this.versions.has(id); n++) id = `${base}-${n}`;
    return id;
  }
}
