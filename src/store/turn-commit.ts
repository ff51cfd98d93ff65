import type { Kysely } from 'kysely';
import type { OutboxRepo, NewOutboxRow } from './outbox-repo.js';
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
    for (const [key, value] of turn.state) {
      if (value === null) {
        await trx.deleteFrom('bot_state').where('key', '=', key).execute();
        continue;
      }
      const doc = JSON.stringify(value);
      await trx
        .insertInto('bot_state')
        .values({ key, doc, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ doc, updated_at: now }))
        .execute();
    }
    await outbox.enqueue(turn.messages, now, trx);
    if (turn.inboxId !== undefined)
      await trx
        .updateTable('inbox')
        .set((eb) => ({
          status: turn.status,
          body: null,
          processed_at: now,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', turn.inboxId)
        .execute();
  });
}
