import type { Kysely } from 'kysely';
import type { OutboxRepo, NewOutboxRow } from './outbox-repo.js';
import { writeState } from './bot-state-storage.js';
import { finishInbox } from './inbox-repo.js';
import type { Database } from './schema.js';

/** Everything a turn produced, to commit at once. */
export interface TurnCommit {
  /** The inbox row of the event (absent for a bot-initiated turn). */
  inboxId?: number;
  status: 'done' | 'failed';
  /** Dialog state written by the turn (null: deleted). */
  state: ReadonlyMap<string, unknown>;
  messages: NewOutboxRow[];
}

/**
 * Commits a turn's outcome in one transaction: its dialog state, its inbox row marked processed
 * (body cleared) and the messages it produced (outbox rows). Either all of it is there after a
 * crash, and the turn never runs again, or none of it is, and the turn runs again having sent
 * nothing.
 */
export async function commitTurn(
  db: Kysely<Database>,
  outbox: OutboxRepo,
  turn: TurnCommit,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of turn.state) await writeState(trx, key, value, now);
    await outbox.enqueue(turn.messages, now, trx);
    if (turn.inboxId !== undefined) await finishInbox(trx, turn.inboxId, turn.status, now);
  });
}
