import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { Coordinator } from '../../coord/coordinator.js';
import type { KvRepo } from '../../store/kv-repo.js';
import type { ZaloClient } from './client.js';

/** Where the token pair lives in the key-value store. */
export const TOKENS_KEY = 'zalo:tokens';
/** Zalo: an access token lives 25 h (assumed for a seeded token whose age we do not know). */
export const ACCESS_TOKEN_LIFETIME_MS = 25 * 3600_000;
/** Refresh this long before the access token expires, so no send meets an expired token. */
export const REFRESH_AHEAD_MS = 30 * 60_000;

/** The stored token pair. */
export interface StoredZaloTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms; 0 when the access token is unknown (refresh before first use). */
  expiresAt: number;
  /** Fingerprint of the ZALO_REFRESH_TOKEN this pair descends from (a new one re-seeds). */
  seed: string;
  refreshedAt?: number;
}

/** What the token lifecycle needs. */
export interface ZaloTokenDeps {
  client: Pick<ZaloClient, 'refreshTokens'>;
  kv: KvRepo;
  coord: Coordinator;
  /** The lock name (from `keys.lock`) that serialises refreshes across processes. */
  lockKey: string;
  clock: Clock;
  log: FastifyBaseLogger;
  /** ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN: seed the store on first start. */
  seed: { accessToken?: string; refreshToken: string };
}

/**
 * The OAuth v4 token lifecycle. Refresh tokens are single-use, so every refresh runs under one
 * lock (a promise chain in this process, Redis when scaled out), re-reads the stored pair inside
 * it (another process may have refreshed already), and saves the new pair before anyone uses it.
 * Concurrent callers in this process share one refresh.
 */
export class ZaloTokens {
  private cached: StoredZaloTokens | undefined;
  private loading: Promise<StoredZaloTokens> | undefined;
  private refreshing: Promise<StoredZaloTokens> | undefined;

  constructor(private readonly deps: ZaloTokenDeps) {}

  /** A usable access token: the stored one, or a fresh one when it expires soon. */
  async accessToken(): Promise<string> {
    const current = this.cached ?? (await this.load());
    if (this.usable(current)) return current.accessToken;
    return (await this.refresh(current.accessToken)).accessToken;
  }

  /** Zalo rejected `rejected` (-216/-220): a new token, unless someone already replaced it. */
  async renew(rejected: string): Promise<string> {
    return (await this.refresh(rejected)).accessToken;
  }

  private usable(tokens: StoredZaloTokens): boolean {
    return tokens.accessToken !== '' && this.deps.clock.now() < tokens.expiresAt - REFRESH_AHEAD_MS;
  }

  private load(): Promise<StoredZaloTokens> {
    this.loading ??= this.locked(() => this.readOrSeed())
      .then((tokens) => (this.cached = tokens))
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private refresh(stale: string): Promise<StoredZaloTokens> {
    this.refreshing ??= this.locked(async () => {
      const stored = await this.readOrSeed();
      // Another process (or an earlier refresh here) already replaced the token we hold.
      if (stored.accessToken !== stale && this.usable(stored)) return stored;
      const pair = await this.deps.client.refreshTokens(stored.refreshToken);
      const now = this.deps.clock.now();
      const next: StoredZaloTokens = {
        accessToken: pair.accessToken,
        refreshToken: pair.refreshToken,
        expiresAt: now + pair.expiresInMs,
        seed: stored.seed,
        refreshedAt: now,
      };
      // The old refresh token is spent now: the new pair must be durable before it is used.
      await this.save(next);
      this.deps.log.info({ expiresAt: next.expiresAt }, 'Zalo access token refreshed');
      return next;
    })
      .then((tokens) => (this.cached = tokens))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.coord.withLock(this.deps.lockKey, fn, { ttlMs: 30_000, waitMs: 60_000 });
  }

  /** The stored pair; seeded from the settings on first start or when ZALO_REFRESH_TOKEN changed. */
  private async readOrSeed(): Promise<StoredZaloTokens> {
    const seed = fingerprint(this.deps.seed.refreshToken);
    const stored = await this.deps.kv.get<StoredZaloTokens>(TOKENS_KEY);
    if (stored && stored.seed === seed && typeof stored.refreshToken === 'string') return stored;
    const now = this.deps.clock.now();
    const { accessToken, refreshToken } = this.deps.seed;
    const seeded: StoredZaloTokens = {
      accessToken: accessToken ?? '',
      refreshToken,
      expiresAt: accessToken ? now + ACCESS_TOKEN_LIFETIME_MS : 0,
      seed,
    };
    await this.save(seeded);
    this.deps.log.info(
      stored
        ? 'Zalo tokens re-seeded: ZALO_REFRESH_TOKEN changed since the stored pair was made'
        : 'Zalo tokens seeded from ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN',
    );
    return seeded;
  }

  private async save(tokens: StoredZaloTokens): Promise<void> {
    // A lost write after a refresh would lose the only valid refresh token: try a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.kv.set(TOKENS_KEY, tokens, this.deps.clock.now());
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }
}

function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
