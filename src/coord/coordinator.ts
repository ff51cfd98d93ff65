/** Coordination between turns and processes: one-time claims and named locks. */
export interface Coordinator {
  readonly kind: 'memory' | 'redis';
  /** Claims `key` for `ttlMs`; true when this caller is the first. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim (used when the work it guarded failed and must be retried). */
  release(key: string): Promise<void>;
  /** Runs `fn` holding the named lock; waits (up to `waitMs`) while someone else holds it. */
  withLock<T>(
    key: string,
    fn: () => Promise<T>,
    options?: { ttlMs?: number; waitMs?: number },
  ): Promise<T>;
  /**
   * Resolves when the coordinator answers: at once when it answered a moment ago, else after a
   * round trip. A webhook waits for it before its durable accept, so that with Redis not
   * answering it is refused (503, the platform retries) rather than acknowledged into turns that
   * cannot take their locks.
   */
  ready(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when a lock could not be taken in time. */
export class LockTimeoutError extends Error {
  constructor(readonly key: string) {
    super(`lock ${key} not acquired in time`);
    this.name = 'LockTimeoutError';
  }
}

/** Serialises async work per key inside this process (a promise chain per key). */
export class LocalLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(fn, fn);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Single-process coordination: enough for the embedded SQLite default. */
export class MemoryCoordinator implements Coordinator {
  readonly kind = 'memory' as const;
  private readonly claims = new Map<string, number>();
  private readonly locks = new LocalLocks();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const until = this.claims.get(key);
    if (until !== undefined && until > t) return false;
    // Re-inserted at the end, so the map stays (nearly) in expiry order.
    if (until !== undefined) this.claims.delete(key);
    this.claims.set(key, t + ttlMs);
    this.expireOldest(t);
    return true;
  }

  async release(key: string): Promise<void> {
    this.claims.delete(key);
  }

  /** Claims held in memory (expired ones go a few at a time). */
  get size(): number {
    return this.claims.size;
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  async ready(): Promise<void> {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /**
   * Expires claims from the oldest end, a few per claim: constant work per claim whatever the
   * map holds (sweeping the whole map made each claim cost O(claims) past 100k).
   */
  private expireOldest(t: number): void {
    let n = 0;
    for (const [k, until] of this.claims) {
      if (until > t || n++ >= 4) return;
      this.claims.delete(k);
    }
  }
}
