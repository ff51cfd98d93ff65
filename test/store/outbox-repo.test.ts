import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { OutboxRepo } from '../../src/store/outbox-repo.js';
import { tempDir } from '../helpers/app.js';

const row = (userId: string) => ({
  channel: 'zalo' as const,
  userId,
  kind: 'reply' as const,
  mode: 'reply' as const,
  message: { text: 'Xin chào' },
  deadline: 10_000_000,
});

describe('OutboxRepo', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('claims the oldest open row of a conversation only, and keeps order behind a retry', async () => {
    store = await openStore({ dataDir: tempDir() });
    const repo = new OutboxRepo(store.db);
    await repo.enqueue([row('a'), row('a'), row('b')], 1000);
    const first = await repo.claimNext('zalo:a', 1000);
    expect(first?.userId).toBe('a');
    // While the first is in flight, the second of the same conversation waits.
    expect(await repo.claimNext('zalo:a', 1000)).toBeUndefined();
    expect((await repo.claimNext('zalo:b', 1000))?.userId).toBe('b');
    await repo.finish(
      first!.id,
      { status: 'pending', reason: 'transport', nextAttemptAt: 5000 },
      1000,
    );
    // Waiting for its retry, it still holds the second back.
    expect(await repo.claimNext('zalo:a', 2000)).toBeUndefined();
    expect((await repo.claimNext('zalo:a', 5000))?.id).toBe(first!.id);
  });

  it('deletes sent rows at once and final ones after the purge age; open rows stay', async () => {
    store = await openStore({ dataDir: tempDir() });
    const repo = new OutboxRepo(store.db);
    await repo.enqueue([row('sent'), row('failed'), row('open')], 1000);
    const sent = await repo.claimNext('zalo:sent', 1000);
    await repo.finish(sent!.id, { status: 'sent' }, 1000);
    const failed = await repo.claimNext('zalo:failed', 1000);
    await repo.finish(failed!.id, { status: 'failed', reason: 'unreachable' }, 1000);
    expect(await repo.depth()).toMatchObject({ pending: 1, failed: 1, sent: 0 });
    expect(await repo.purgeFinal(500)).toBe(0);
    expect(await repo.purgeFinal(2000)).toBe(1);
    expect(await repo.forConversation('zalo:open')).toEqual([{ status: 'pending', kind: 'reply' }]);
    expect(await repo.forConversation('zalo:failed')).toEqual([]);
  });

  it('deletes rows sent at the same moment together, and only those', async () => {
    store = await openStore({ dataDir: tempDir() });
    const repo = new OutboxRepo(store.db, store.write);
    const users = Array.from({ length: 70 }, (_, i) => `u${i}`);
    await repo.enqueue([...users.map(row), row('kept')], 1000);
    const claimed = await Promise.all(users.map((u) => repo.claimNext(`zalo:${u}`, 1000)));
    // More than one statement takes (64): the rest go in a second one.
    await Promise.all(claimed.map((c) => repo.finish(c!.id, { status: 'sent' }, 1000)));
    expect(await repo.depth()).toMatchObject({ pending: 1, sending: 0 });
    expect(await repo.forConversation('zalo:kept')).toEqual([{ status: 'pending', kind: 'reply' }]);
  });
});
