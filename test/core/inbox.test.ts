import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLocks, MemoryCoordinator, type Coordinator } from '../../src/coord/coordinator.js';
import { makeKeys } from '../../src/coord/keys.js';
import { connectRedis, RedisCoordinator } from '../../src/coord/redis-coordinator.js';
import { systemClock } from '../../src/core/clock.js';
import type { InboundEvent } from '../../src/core/events.js';
import { ServiceUnavailableError } from '../../src/core/errors.js';
import { Inbox, OutOfTurnError, type EventProcessor } from '../../src/core/inbox.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/db.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { TurnOutcome } from '../../src/core/turn-outcome.js';
import { BACKENDS, dropSchema, startTestApp, tempDir } from '../helpers/app.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../helpers/env.js';

const log = createLogger('silent');

function message(userId: string, eventId: string, text = 'hi'): InboundEvent {
  return { channel: 'simulator', userId, eventId, timestamp: Date.now(), kind: 'message', text };
}

/** Counts the drains' reads of pending rows from the database. */
function countReads(repo: InboxRepo): () => number {
  let reads = 0;
  const pending = repo.pending.bind(repo);
  repo.pending = (conversation, limit) => {
    reads += 1;
    return pending(conversation, limit);
  };
  return () => reads;
}

/** A deferred promise, to hold a turn open until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe.each(BACKENDS)('inbox guarantees on $name', (backend) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function openBackend(): Promise<{
    store: Store;
    coord: () => Promise<Coordinator>;
    prefix: string;
  }> {
    const schema = uniqueName('inbox');
    const store = await openStore(
      backend.db === 'postgres'
        ? { dataDir: tempDir(), databaseUrl: TEST_DATABASE_URL, pgSchema: schema }
        : { dataDir: tempDir() },
    );
    cleanups.push(async () => {
      await store.close();
      if (backend.db === 'postgres') await dropSchema(schema);
    });
    const coord = async (): Promise<Coordinator> => {
      const c = backend.redis
        ? new RedisCoordinator(await connectRedis(TEST_REDIS_URL))
        : new MemoryCoordinator();
      cleanups.push(() => c.close());
      return c;
    };
    return { store, coord, prefix: uniqueName('inbox') };
  }

  function makeInbox(
    store: Store,
    coord: Coordinator,
    prefix: string,
    process: EventProcessor,
    repo = new InboxRepo(store.db, (fn) => store.durably(fn)),
  ): Inbox {
    const inbox = new Inbox({
      repo,
      coord,
      keys: makeKeys(prefix),
      clock: systemClock,
      log,
      process,
      // As services.ts sets it: SQLite without Redis runs its own records from memory.
      singleProcess: backend.db === 'sqlite' && !backend.redis,
    });
    cleanups.push(() => inbox.close());
    return inbox;
  }

  it('acknowledges (accept resolves) while the turn is still running', async () => {
    const { store, coord, prefix } = await openBackend();
    const hold = gate();
    const inbox = makeInbox(store, await coord(), prefix, () => hold.opened);
    const accepted = await inbox.accept([message('u1', 'm1')]);
    expect(accepted).toHaveLength(1);
    const pending = await new InboxRepo(store.db).pending('simulator:u1');
    expect(pending.map((r) => r.event.eventId)).toEqual(['m1']);
    hold.open();
    await inbox.idle();
    expect(await new InboxRepo(store.db).pending('simulator:u1')).toEqual([]);
  });

  it('runs an event delivered twice only once', async () => {
    const { store, coord, prefix } = await openBackend();
    const seen: string[] = [];
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      seen.push(e.eventId);
    });
    await inbox.accept([message('u1', 'dup')]);
    await inbox.accept([message('u1', 'dup')]);
    await Promise.all([
      inbox.accept([message('u1', 'dup2')]),
      inbox.accept([message('u1', 'dup2')]),
    ]);
    await inbox.idle();
    expect(seen).toEqual(['dup', 'dup2']);
  });

  it('keeps no claim in memory for recorded events, and still runs a repeat only once', async () => {
    const { store, coord, prefix } = await openBackend();
    const c = await coord();
    const seen: string[] = [];
    const inbox = makeInbox(store, c, prefix, async (e) => {
      seen.push(e.eventId);
    });
    await inbox.accept([message('u1', 'kept-1'), message('u2', 'kept-2')]);
    // The inbox's unique key refuses repeats, so a million messages do not leave a million
    // claims in the heap (or in Redis) for 48 h.
    if (c instanceof MemoryCoordinator) expect(c.size).toBe(0);
    await inbox.accept([message('u1', 'kept-1')]);
    await inbox.idle();
    await inbox.accept([message('u2', 'kept-2'), message('u1', 'kept-1')]);
    await inbox.idle();
    expect(seen.sort()).toEqual(['kept-1', 'kept-2']);
  });

  it('records a retry that arrived while the first delivery was failing to record', async () => {
    const { store, coord, prefix } = await openBackend();
    const seen: string[] = [];
    const repo = new InboxRepo(store.db, (fn) => store.durably(fn));
    const insertNew = repo.insertNew.bind(repo);
    const inserting = gate();
    const fail = gate();
    let calls = 0;
    repo.insertNew = async (events, now) => {
      calls += 1;
      if (calls > 1) return insertNew(events, now);
      inserting.open();
      await fail.opened;
      throw new Error('storage hiccup');
    };
    const inbox = makeInbox(
      store,
      await coord(),
      prefix,
      async (e) => {
        seen.push(e.eventId);
      },
      repo,
    );
    const first = inbox.accept([message('u1', 'retried')]);
    first.catch(() => undefined);
    await inserting.opened;
    // The platform's retry, while the first delivery's record is still under way.
    const retry = inbox.accept([message('u1', 'retried')]);
    fail.open();
    await expect(first).rejects.toThrow('storage hiccup');
    expect((await retry).map((e) => e.eventId)).toEqual(['retried']);
    await inbox.idle();
    expect(seen).toEqual(['retried']);
  });

  it('refuses with 503 and records nothing when the coordinator fails to answer', async () => {
    const { store, coord, prefix } = await openBackend();
    const failing = await coord();
    failing.ready = () => Promise.reject(new Error('The client is closed'));
    const inbox = makeInbox(store, failing, prefix, async () => undefined);
    const refused = await inbox.accept([message('u1', 'refused')]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceUnavailableError);
    expect((refused as ServiceUnavailableError).retryAfterSeconds).toBe(5);
    expect(await new InboxRepo(store.db).pending('simulator:u1')).toEqual([]);
  });

  it('runs an event delivered to two processes only once', async () => {
    const { store, coord, prefix } = await openBackend();
    const seen: string[] = [];
    const record: EventProcessor = async (e) => {
      seen.push(e.eventId);
    };
    const a = makeInbox(store, await coord(), prefix, record);
    const b = makeInbox(store, await coord(), prefix, record);
    await Promise.all([a.accept([message('u1', 'x')]), b.accept([message('u1', 'x')])]);
    await Promise.all([a.idle(), b.idle()]);
    expect(seen).toEqual(['x']);
  });

  it('answers the messages of one user in order, one at a time', async () => {
    const { store, coord, prefix } = await openBackend();
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      // The first turn is the slowest: a naive pipeline would answer the second one first.
      await new Promise((r) => setTimeout(r, e.eventId === 'a' ? 30 : 1));
      order.push(e.eventId);
      running -= 1;
    });
    // Each message is acknowledged before the next arrives, while the first turn is still running.
    await inbox.accept([message('u1', 'a')]);
    await inbox.accept([message('u1', 'b')]);
    await inbox.accept([message('u1', 'c')]);
    await inbox.idle();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(maxRunning).toBe(1);
  });

  it('answers two messages sent at once (one request) in order, and concurrent requests each once', async () => {
    const { store, coord, prefix } = await openBackend();
    const order: string[] = [];
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      await new Promise((r) => setTimeout(r, e.eventId === 'first' ? 20 : 1));
      order.push(e.eventId);
    });
    await inbox.accept([message('u2', 'first'), message('u2', 'second')]);
    await Promise.all(['m1', 'm2', 'm3'].map((id) => inbox.accept([message('u2', id)])));
    await inbox.idle();
    expect(order.slice(0, 2)).toEqual(['first', 'second']);
    expect(order.slice(2).sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('runs different conversations in parallel', async () => {
    const { store, coord, prefix } = await openBackend();
    const bDone = gate();
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      // A's turn can only finish once B's turn ran: this deadlocks if conversations are serialised.
      if (e.userId === 'A') await bDone.opened;
      else bDone.open();
    });
    await inbox.accept([message('A', 'a1')]);
    await inbox.accept([message('B', 'b1')]);
    await inbox.idle();
    expect(await new InboxRepo(store.db).counts()).toEqual({ done: 2 });
  });

  it('keeps going after a failed turn and records it as failed', async () => {
    const { store, coord, prefix } = await openBackend();
    const seen: string[] = [];
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      if (e.eventId === 'bad') throw new Error('boom');
      seen.push(e.eventId);
    });
    await inbox.accept([message('u1', 'bad'), message('u1', 'good')]);
    await inbox.idle();
    expect(seen).toEqual(['good']);
    expect(await new InboxRepo(store.db).counts()).toEqual({ done: 1, failed: 1 });
  });

  it('recovers events left pending by a process that stopped before their turn', async () => {
    const { store, coord, prefix } = await openBackend();
    const repo = new InboxRepo(store.db);
    // What a killed process leaves behind: recorded (acknowledged) events, no turn run.
    await repo.insertNew([message('u9', 'left-1'), message('u9', 'left-2')], Date.now());
    const seen: string[] = [];
    const inbox = makeInbox(store, await coord(), prefix, async (e) => {
      seen.push(e.eventId);
    });
    expect(await inbox.recover()).toBe(1);
    await inbox.idle();
    expect(seen).toEqual(['left-1', 'left-2']);
  });

  it('drops the text of processed events (what citizens wrote is not kept)', async () => {
    const { store, coord, prefix } = await openBackend();
    const inbox = makeInbox(store, await coord(), prefix, async () => undefined);
    await inbox.accept([message('u1', 'p1', 'số điện thoại của tôi là 0912345678')]);
    await inbox.idle();
    const rows = await store.db.selectFrom('inbox').select(['body', 'status']).execute();
    expect(rows).toEqual([{ body: null, status: 'done' }]);
  });
});

describe('LocalLocks', () => {
  it('serialises work per key and keeps going after a failure', async () => {
    const locks = new LocalLocks();
    const order: number[] = [];
    const first = locks.run('k', async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push(1);
      throw new Error('x');
    });
    const second = locks.run('k', async () => {
      order.push(2);
    });
    await expect(first).rejects.toThrow('x');
    await second;
    expect(order).toEqual([1, 2]);
  });
});

// SQLite, one process: a drain runs the rows this process recorded without reading them back,
// and reads the database whenever some pending rows may not be in memory.
describe('inbox on SQLite, one process', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(
    process: EventProcessor,
    commitFails?: () => boolean,
    lockGate?: Promise<void>,
  ) {
    const store = await openStore({ dataDir: tempDir() });
    cleanups.push(() => store.close());
    const repo = new InboxRepo(store.db, (fn) => store.durably(fn));
    const reads = countReads(repo);
    // With a gate, every conversation lock waits for it before it is taken.
    const coord = new (class extends MemoryCoordinator {
      override async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
        await lockGate;
        return super.withLock(key, fn);
      }
    })();
    const inbox = new Inbox({
      repo,
      coord,
      keys: makeKeys(uniqueName('inbox')),
      clock: systemClock,
      log,
      process,
      singleProcess: true,
      commit: async (row, status) => {
        if (commitFails?.()) throw new Error('disk full');
        await repo.finish(row.id, status, Date.now());
      },
    });
    cleanups.push(async () => {
      await inbox.close();
      await coord.close();
    });
    return { store, repo, inbox, reads };
  }

  it('runs what it recorded in order, without reading it back', async () => {
    const seen: string[] = [];
    const { inbox, repo, reads } = await setup(async (e) => {
      seen.push(e.eventId);
    });
    for (const id of ['m1', 'm2', 'm3']) await inbox.accept([message('u1', id)]);
    await inbox.accept([message('u1', 'm4'), message('u2', 'n1'), message('u1', 'm5')]);
    await inbox.idle();
    expect(seen.filter((id) => id.startsWith('m'))).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(seen).toContain('n1');
    expect(reads()).toBe(0);
    expect(await repo.pending('simulator:u1')).toEqual([]);
  });

  it('after a restart, runs the rows left in the database before the new ones', async () => {
    const seen: string[] = [];
    const locks = gate();
    const { store, inbox } = await setup(
      async (e) => {
        seen.push(e.eventId);
      },
      undefined,
      locks.opened,
    );
    // Rows another run of the process recorded and never ran.
    await new InboxRepo(store.db).insertNew([message('u1', 'old1'), message('u1', 'old2')], 1);
    await inbox.recover();
    // A new event is recorded (and held in memory) before the recovered drain gets the lock.
    await inbox.accept([message('u1', 'new1')]);
    locks.open();
    await inbox.idle();
    expect(seen).toEqual(['old1', 'old2', 'new1']);
  });

  it('after a failed commit, runs the rows still pending from the database, in order', async () => {
    const seen: string[] = [];
    let failures = 1;
    const { inbox, reads } = await setup(
      async (e) => {
        seen.push(e.eventId);
      },
      () => failures-- > 0,
    );
    await inbox.accept([message('u1', 'a1'), message('u1', 'a2')]);
    await inbox.idle();
    // The first commit failed: both rows stay pending (a1 ran, said nothing that was kept).
    expect(seen).toEqual(['a1']);
    await inbox.accept([message('u1', 'a3')]);
    await inbox.idle();
    expect(seen).toEqual(['a1', 'a1', 'a2', 'a3']);
    expect(reads()).toBe(1);
  });
});

describe('inbox on PostgreSQL + Redis, processes that confirm the order of their turns', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const schema = uniqueName('inbox');
    const store = await openStore({
      dataDir: tempDir(),
      databaseUrl: TEST_DATABASE_URL,
      pgSchema: schema,
    });
    cleanups.push(async () => {
      await store.close();
      await dropSchema(schema);
    });
    const repo = new InboxRepo(store.db);
    const reads = countReads(repo);
    const seen: string[] = [];
    const prefix = uniqueName('inbox');
    /** A process of its own: its Redis connection, inbox and a processor that confirms order. */
    const start = async (name: string): Promise<{ inbox: Inbox; open: () => void }> => {
      // Its drains wait until the test opens its locks.
      const locks = gate();
      const coord = new (class extends RedisCoordinator {
        override async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
          await locks.opened;
          return super.withLock(key, fn);
        }
      })(await connectRedis(TEST_REDIS_URL));
      // As core/processor.ts does in its contact upsert: confirm, then run the turn.
      const process: EventProcessor = async (e, _outcome, order) => {
        if (order) {
          const first = await repo.firstPending(order.conversation);
          if (first !== order.id) throw new OutOfTurnError(first);
        }
        seen.push(`${name}:${e.eventId}`);
      };
      const inbox = new Inbox({
        repo,
        coord,
        keys: makeKeys(prefix),
        clock: systemClock,
        log,
        process,
        confirmsOrder: true,
      });
      cleanups.push(async () => {
        await inbox.close();
        await coord.close();
      });
      return { inbox, open: locks.open };
    };
    return { repo, start, seen, reads };
  }

  it('runs what it recorded in order, without reading it back', async () => {
    const { repo, start, seen, reads } = await setup();
    const { inbox, open } = await start('a');
    open();
    for (const id of ['m1', 'm2', 'm3']) await inbox.accept([message('u1', id)]);
    await inbox.accept([message('u1', 'm4'), message('u2', 'n1'), message('u1', 'm5')]);
    await inbox.idle();
    expect(seen.filter((s) => s.includes(':m'))).toEqual(['a:m1', 'a:m2', 'a:m3', 'a:m4', 'a:m5']);
    expect(seen).toContain('a:n1');
    expect(reads()).toBe(0);
    expect(await repo.firstPending('simulator:u1')).toBeNull();
  });

  it("runs another process's older row first and no row twice, whichever drains first", async () => {
    for (const firstToDrain of ['a', 'b']) {
      const { repo, start, seen } = await setup();
      const a = await start('a');
      const b = await start('b');
      // Recorded alternately by the two processes, drained only once all are recorded.
      await a.inbox.accept([message('u1', 'x1')]);
      await b.inbox.accept([message('u1', 'x2')]);
      await a.inbox.accept([message('u1', 'x3')]);
      await b.inbox.accept([message('u1', 'x4')]);
      const [first, second] = firstToDrain === 'a' ? [a, b] : [b, a];
      first.open();
      await first.inbox.idle();
      // The first to drain found the other's older rows and ran all four, in order.
      expect(seen).toEqual(['x1', 'x2', 'x3', 'x4'].map((x) => `${firstToDrain}:${x}`));
      second.open();
      await second.inbox.idle();
      expect(seen).toHaveLength(4);
      expect(await repo.firstPending('simulator:u1')).toBeNull();
      expect(await repo.counts()).toEqual({ done: 4 });
    }
  });
});

describe.each(BACKENDS)('the turn processor on $name', (backend) => {
  it('runs the turn of a row that is next, and refuses one that is not before its turn runs', async () => {
    const t = await startTestApp({ backend });
    try {
      const repo = t.services.inboxRepo;
      const receipt: InboundEvent = {
        channel: 'simulator',
        userId: 'p1',
        eventId: 'r1',
        timestamp: Date.now(),
        kind: 'receipt',
        status: 'delivered',
        messageIds: ['m-1'],
      };
      const [a, b, r] = await repo.insertNew(
        [message('p1', 'e1', 'xin chào'), message('p1', 'e2', 'xin chào'), receipt],
        Date.now(),
      );
      const { process } = await t.services.engine();
      const order = (row: typeof a) => ({ id: row!.id, conversation: row!.conversation });
      for (const early of [b, r]) {
        const outcome = new TurnOutcome();
        const refused = await process(early!.event, outcome, order(early)).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(OutOfTurnError);
        expect((refused as OutOfTurnError).firstPending).toBe(a!.id);
        expect(outcome.messages).toEqual([]);
      }
      const outcome = new TurnOutcome();
      await process(a!.event, outcome, order(a));
      expect(outcome.messages.length).toBeGreaterThan(0);
      // Once every row is done, none is next: a row run elsewhere is refused with null.
      for (const row of [a, b, r]) await repo.finish(row!.id, 'done', Date.now());
      const late = await process(b!.event, new TurnOutcome(), order(b)).catch((e: unknown) => e);
      expect((late as OutOfTurnError).firstPending).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('inbox accept deadline', () => {
  it('takes a record that finished while the loop was busy past the deadline', async () => {
    let nextId = 0;
    // A record whose I/O completes while the process is busy (a module loading, say) for longer
    // than the deadline: once the loop runs again the timer is due before the finished I/O is seen.
    const repo = {
      async insertNew(events: InboundEvent[]) {
        const io = fs.promises.stat(import.meta.filename);
        const until = Date.now() + 300;
        while (Date.now() < until) {
          // busy
        }
        await io;
        return events.map((event) => ({
          id: (nextId += 1),
          conversation: `${event.channel}:${event.userId}`,
          event,
        }));
      },
    } as unknown as InboxRepo;
    const coord = new MemoryCoordinator();
    const inbox = new Inbox({
      repo,
      coord,
      keys: makeKeys(uniqueName('inbox')),
      clock: systemClock,
      log,
      process: async () => undefined,
      singleProcess: true,
      commit: async () => undefined,
      acceptTimeoutMs: 100,
    });
    try {
      const accepted = await inbox.accept([message('u1', 'late-but-done')]);
      expect(accepted.map((e) => e.eventId)).toEqual(['late-but-done']);
    } finally {
      await inbox.close();
      await coord.close();
    }
  });
});
