import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { isUniqueViolation } from '../store/db.js';
import { isRole, type Role } from './roles.js';
import { dashboardDb, type DashboardDatabase } from './schema.js';

/** Who is acting: an admin token's name and role. */
export interface Actor {
  tokenId: number;
  name: string;
  role: Role;
}

/** An admin token as the owner's page lists it (never the token itself). */
export interface TokenInfo {
  id: number;
  name: string;
  role: Role;
  source: 'env' | 'store' | 'setup';
  createdBy: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** The SHA-256 of a secret, hex: tokens and session ids are stored only this way. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The name of the owner bootstrapped from ADMIN_TOKEN. */
export const ENV_OWNER = 'ADMIN_TOKEN';

/** The name of the one-time owner sign-in made when no owner exists and ADMIN_TOKEN is unset. */
export const FIRST_OWNER = 'first-sign-in';

/** Admin tokens with roles (stored hashed), dashboard sessions, and the admin audit log. */
export class Accounts {
  private readonly db: Kysely<DashboardDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly now: () => number,
  ) {
    this.db = dashboardDb(db);
  }

  /**
   * Makes ADMIN_TOKEN the owner "ADMIN_TOKEN": the stored hash follows the environment, so a
   * changed ADMIN_TOKEN replaces the old one (and ends its sessions) and an unset one is revoked.
   */
  async bootstrap(adminToken: string | undefined): Promise<string | undefined> {
    await this.bootstrapEnv(adminToken);
    return this.firstSignIn();
  }

  /**
   * With no live owner (a fresh install started without ADMIN_TOKEN), a one-time owner sign-in
   * token: only its hash is stored, it signs in once at /admin/login, and the caller prints it
   * once. Each such start replaces the previous one; once an owner exists it is revoked.
   */
  private async firstSignIn(): Promise<string | undefined> {
    const owner = await this.db
      .selectFrom('admin_tokens')
      .select('id')
      .where('role', '=', 'owner')
      .where('source', '!=', 'setup')
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    const setup = await this.db
      .selectFrom('admin_tokens')
      .select(['id', 'revoked_at'])
      .where('name', '=', FIRST_OWNER)
      .executeTakeFirst();
    if (owner) {
      if (setup && setup.revoked_at === null) await this.revokeWithSessions(setup.id);
      return undefined;
    }
    const token = `llw_first_${randomBytes(24).toString('base64url')}`;
    const values = { token_hash: hashSecret(token), role: 'owner', revoked_at: null };
    if (setup)
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('admin_sessions').where('token_id', '=', setup.id).execute();
        await trx.updateTable('admin_tokens').set(values).where('id', '=', setup.id).execute();
      });
    else
      await this.db
        .insertInto('admin_tokens')
        .values({ ...values, name: FIRST_OWNER, source: 'setup', created_at: this.now() })
        .execute();
    return token;
  }

  /** True while the one-time first sign-in is the only way in (no owner token yet). */
  async firstSignInPending(): Promise<boolean> {
    const row = await this.db
      .selectFrom('admin_tokens')
      .select('id')
      .where('source', '=', 'setup')
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined && !(await this.anyLive());
  }

  private async revokeWithSessions(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('admin_sessions').where('token_id', '=', id).execute();
      await trx
        .updateTable('admin_tokens')
        .set({ revoked_at: this.now() })
        .where('id', '=', id)
        .execute();
    });
  }

  private async bootstrapEnv(adminToken: string | undefined): Promise<void> {
    const now = this.now();
    const existing = await this.db
      .selectFrom('admin_tokens')
      .selectAll()
      .where('name', '=', ENV_OWNER)
      .executeTakeFirst();
    if (!adminToken) {
      if (existing && existing.revoked_at === null)
        await this.db
          .updateTable('admin_tokens')
          .set({ revoked_at: now })
          .where('id', '=', existing.id)
          .execute();
      return;
    }
    const hash = hashSecret(adminToken);
    if (existing?.token_hash === hash && existing.revoked_at === null) return;
    try {
      if (existing) {
        await this.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('admin_sessions').where('token_id', '=', existing.id).execute();
          await trx
            .updateTable('admin_tokens')
            .set({ token_hash: hash, revoked_at: null, role: 'owner' })
            .where('id', '=', existing.id)
            .execute();
        });
      } else {
        await this.db
          .insertInto('admin_tokens')
          .values({
            name: ENV_OWNER,
            role: 'owner',
            token_hash: hash,
            source: 'env',
            created_at: now,
          })
          .execute();
      }
    } catch (error) {
      // Another process bootstrapped the same token at the same moment.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /** True when at least one token can sign in (otherwise the admin API is off). */
  async anyLive(): Promise<boolean> {
    const row = await this.db
      .selectFrom('admin_tokens')
      .select('id')
      .where('revoked_at', 'is', null)
      // The one-time first sign-in opens the dashboard only, never the API.
      .where('source', '!=', 'setup')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The actor a presented token belongs to, or undefined (unknown or revoked). The one-time
   * first sign-in counts only where `firstSignIn` is set (the sign-in form), and only once.
   */
  async verify(token: string, options: { firstSignIn?: boolean } = {}): Promise<Actor | undefined> {
    if (token.length < 16 || token.length > 512) return undefined;
    const row = await this.db
      .selectFrom('admin_tokens')
      .select(['id', 'name', 'role', 'revoked_at', 'source'])
      .where('token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !isRole(row.role)) return undefined;
    if (row.source === 'setup') {
      if (!options.firstSignIn) return undefined;
      // Used once: its hash is replaced by one of a secret nobody holds (its session lives on).
      const used = await this.db
        .updateTable('admin_tokens')
        .set({ token_hash: hashSecret(randomBytes(32).toString('base64url')) })
        .where('id', '=', row.id)
        .where('token_hash', '=', hashSecret(token))
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) return undefined;
    }
    await this.db
      .updateTable('admin_tokens')
      .set({ last_used_at: this.now() })
      .where('id', '=', row.id)
      .execute();
    return { tokenId: Number(row.id), name: row.name, role: row.role };
  }

  /** Creates a token; returns the secret once (only its hash is kept). */
  async createToken(
    name: string,
    role: Role,
    by: Actor,
  ): Promise<{ ok: true; token: string } | { ok: false; reason: 'name-taken' }> {
    const token = `llw_${randomBytes(24).toString('base64url')}`;
    try {
      await this.db
        .insertInto('admin_tokens')
        .values({
          name,
          role,
          token_hash: hashSecret(token),
          source: 'store',
          created_by: by.name,
          created_at: this.now(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'name-taken' };
      throw error;
    }
    return { ok: true, token };
  }

  /** Revokes a stored token and ends its sessions; false when there is no such live token. */
  async revokeToken(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('admin_tokens')
        .set({ revoked_at: this.now() })
        .where('id', '=', id)
        .where('source', '=', 'store')
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await trx.deleteFrom('admin_sessions').where('token_id', '=', id).execute();
      return true;
    });
  }

  /** Every token, newest first. */
  async listTokens(): Promise<TokenInfo[]> {
    const rows = await this.db
      .selectFrom('admin_tokens')
      .selectAll()
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      role: isRole(r.role) ? r.role : 'viewer',
      source: r.source,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }));
  }

  /** Opens a session for the actor; returns the cookie value (random, stored hashed). */
  async openSession(actor: Actor, ttlMs: number): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db.deleteFrom('admin_sessions').where('expires_at', '<', now).execute();
    await this.db
      .insertInto('admin_sessions')
      .values({
        id_hash: hashSecret(id),
        token_id: actor.tokenId,
        created_at: now,
        expires_at: now + ttlMs,
      })
      .execute();
    return id;
  }

  /** The actor of a live session, or why there is none. */
  async session(id: string): Promise<{ actor: Actor; expiresAt: number } | { expired: boolean }> {
    const row = await this.db
      .selectFrom('admin_sessions')
      .innerJoin('admin_tokens', 'admin_tokens.id', 'admin_sessions.token_id')
      .select([
        'admin_sessions.expires_at',
        'admin_tokens.id',
        'admin_tokens.name',
        'admin_tokens.role',
        'admin_tokens.revoked_at',
      ])
      .where('admin_sessions.id_hash', '=', hashSecret(id))
      .executeTakeFirst();
    if (!row) return { expired: false };
    if (Number(row.expires_at) <= this.now() || row.revoked_at !== null || !isRole(row.role))
      return { expired: true };
    return {
      actor: { tokenId: Number(row.id), name: row.name, role: row.role },
      expiresAt: Number(row.expires_at),
    };
  }

  /** Ends a session (sign-out). */
  async closeSession(id: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('id_hash', '=', hashSecret(id)).execute();
  }

  /** Records an organiser's action in the audit log. */
  async audit(
    actor: Actor | string,
    action: string,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: this.now(),
        actor: `admin:${typeof actor === 'string' ? actor : actor.name}`,
        action: `admin.${action}`,
        detail: detail ? JSON.stringify(detail) : null,
      })
      .execute();
  }

  /** One page of the admin audit log, newest first. */
  async auditPage(
    limit: number,
    offset: number,
  ): Promise<{
    total: number;
    items: Array<{ at: number; actor: string; action: string; detail: string | null }>;
  }> {
    const base = this.db.selectFrom('audit_log').where('actor', 'like', 'admin:%');
    const rows = await base
      .select(['at', 'actor', 'action', 'detail'])
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const count = await base
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      total: Number(count.n),
      items: rows.map((r) => ({
        at: Number(r.at),
        actor: r.actor.slice('admin:'.length),
        action: r.action.slice('admin.'.length),
        detail: r.detail,
      })),
    };
  }
}
