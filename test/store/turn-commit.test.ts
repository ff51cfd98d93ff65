import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/events.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { OutboxRepo } from '../../src/store/outbox-repo.js';
import { commitTurn } from '../../src/store/turn-commit.js';
import { ENGINES, useStore } from '../helpers/store.js';

const event = (eventId: string): InboundEvent => ({
  kind: 'message',
  channel: 'zalo',
  userId: 'u1',
  eventId,
  timestamp: 1000,
  text: 'xin chào',
});

const message = (text: string) => ({
  channel: 'zalo' as const,
  userId: 'u1',
  kind: 'reply' as const,
  mode: 'reply' as const,
  message: { text },
  deadline: 99_000,
});

// PostgreSQL commits a turn as one statement, SQLite as a transaction: both must leave the same
// rows, and nothing at all when any part fails.
describe.each(ENGINES)('a turn commit on $name', ({ pg }) => {
  const store = useStore(pg, 'commit');

  const state = async () =>
    Object.fromEntries(
      (await store().db.selectFrom('bot_state').select(['key', 'doc']).execute()).map((r) => [
        r.key,
        JSON.parse(r.doc) as unknown,
      ]),
    );
  const outbox = async () =>
    (await store().db.selectFrom('outbox').select(['body', 'status']).orderBy('id').execute()).map(
      (r) => [JSON.parse(r.body ?? '{}') as unknown, r.status],
    );

  it('writes and deletes state, queues the messages in order and finishes the inbox row', async () => {
    const inbox = new InboxRepo(store().db);
    const outboxRepo = new OutboxRepo(store().db);
    const [row] = await inbox.insertNew([event('m1')], 1000);
    await commitTurn(
      store().db,
      outboxRepo,
      { status: 'done', state: new Map([['old', { a: 1 }]]), messages: [] },
      1000,
    );
    await commitTurn(
      store().db,
      outboxRepo,
      {
        inboxId: row!.id,
        status: 'done',
        state: new Map<string, unknown>([
          ['old', null],
          ['kept', { step: 2 }],
          ['other', { step: 3 }],
        ]),
        messages: [message('one'), message('two'), message('three')],
      },
      2000,
    );
    expect(await state()).toEqual({ kept: { step: 2 }, other: { step: 3 } });
    expect(await outbox()).toEqual([
      [{ text: 'one' }, 'pending'],
      [{ text: 'two' }, 'pending'],
      [{ text: 'three' }, 'pending'],
    ]);
    const finished = await store()
      .db.selectFrom('inbox')
      .select(['status', 'body', 'processed_at', 'attempts'])
      .executeTakeFirstOrThrow();
    expect(finished).toMatchObject({ status: 'done', body: null, attempts: 1 });
    expect(Number(finished.processed_at)).toBe(2000);
    expect(await inbox.pending('zalo:u1')).toEqual([]);
  });

  it('leaves nothing when a part fails, so the turn runs again having sent nothing', async () => {
    const inbox = new InboxRepo(store().db);
    const [row] = await inbox.insertNew([event('m2')], 1000);
    // A NOT NULL column left empty: the database refuses the second message.
    const bad = { ...message('never'), kind: null as unknown as 'reply' };
    await expect(
      commitTurn(
        store().db,
        new OutboxRepo(store().db),
        {
          inboxId: row!.id,
          status: 'done',
          state: new Map([['s', { step: 1 }]]),
          messages: [message('first'), bad],
        },
        2000,
      ),
    ).rejects.toThrow();
    expect(await state()).toEqual({});
    expect(await outbox()).toEqual([]);
    expect((await inbox.pending('zalo:u1')).map((r) => r.id)).toEqual([row!.id]);
  });

  it('claims the first message for the sender unless an older one of the conversation is open', async () => {
    const outboxRepo = new OutboxRepo(store().db);
    const claimed = await commitTurn(
      store().db,
      outboxRepo,
      {
        status: 'done',
        state: new Map(),
        messages: [message('hello'), message('menu')],
        claimFirst: true,
      },
      3000,
    );
    expect(claimed).toMatchObject({
      conversation: 'zalo:u1',
      message: { text: 'hello' },
      attempts: 1,
      more: true,
      deadline: 99_000,
    });
    expect(await outbox()).toEqual([
      [{ text: 'hello' }, 'sending'],
      [{ text: 'menu' }, 'pending'],
    ]);
    const [first] = await store()
      .db.selectFrom('outbox')
      .select(['id', 'attempts'])
      .orderBy('id')
      .execute();
    expect(Number(first!.id)).toBe(claimed!.id);
    expect(Number(first!.attempts)).toBe(1);
    // The next turn's reply waits behind the open rows: queued, not claimed.
    const next = await commitTurn(
      store().db,
      outboxRepo,
      { status: 'done', state: new Map(), messages: [message('later')], claimFirst: true },
      4000,
    );
    expect(next).toBeUndefined();
    expect((await outbox()).at(-1)).toEqual([{ text: 'later' }, 'pending']);
    // Without claimFirst nothing is claimed, whatever the conversation holds.
    await store().db.deleteFrom('outbox').execute();
    expect(
      await commitTurn(
        store().db,
        outboxRepo,
        { status: 'done', state: new Map(), messages: [message('plain')] },
        5000,
      ),
    ).toBeUndefined();
    expect(await outbox()).toEqual([[{ text: 'plain' }, 'pending']]);
  });
});
