import { PostgresAdapter, sql, type Kysely, type QueryCreator } from 'kysely';
import {
  claimedFirst,
  outboxParams,
  outboxValues,
  type ClaimedOutbox,
  type NewOutboxRow,
  type OutboxRepo,
} from './outbox-repo.js';
import { Prepared } from './prepared.js';
import type { WriteDb, Writer } from './write-group.js';
import { deleteStates, upsertStates, writeState } from './bot-state-storage.js';
import { finishInbox, finishInboxRow } from './inbox-repo.js';
import type { Database } from './schema.js';

/** Everything a turn produced, to commit at once. */
export interface TurnCommit {
  /** The inbox row of the event (absent for a bot-initiated turn). */
  inboxId?: number;
  status: 'done' | 'failed';
  /** Dialog state written by the turn (null: deleted). */
  state: ReadonlyMap<string, unknown>;
  messages: NewOutboxRow[];
  /**
   * Insert the first message already claimed for this process's sender (all messages are of one
   * conversation and a sender slot waits for it), unless an older row of the conversation is open.
   */
  claimFirst?: boolean;
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
  write: Writer = (job) => db.transaction().execute(job),
): Promise<ClaimedOutbox | undefined> {
  const claim = turn.claimFirst === true && turn.messages.length > 0;
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    return write((into) => commitInOneStatement(into, turn, now, claim));
  return write(async (trx) => {
    for (const [key, value] of turn.state) await writeState(trx, key, value, now);
    let claimed: ClaimedOutbox | undefined;
    if (claim) claimed = await outbox.enqueueClaimingFirst(turn.messages, now, trx);
    else await outbox.enqueue(turn.messages, now, trx);
    if (turn.inboxId !== undefined) await finishInbox(trx, turn.inboxId, turn.status, now);
    return claimed;
  });
}

/**
 * PostgreSQL: the same commit as one statement (data-modifying CTEs, atomic on their own), one
 * round trip instead of five (BEGIN, state, outbox, inbox, COMMIT).
 */
async function commitInOneStatement(
  db: WriteDb,
  turn: TurnCommit,
  now: number,
  claim: boolean,
): Promise<ClaimedOutbox | undefined> {
  const params: Record<string, unknown> = { ...outboxParams(turn.messages, now), now };
  let writes = 0;
  let deletes = 0;
  for (const [key, value] of turn.state) {
    if (value === null) params[`deleted${deletes++}`] = key;
    else {
      params[`key${writes}`] = key;
      params[`doc${writes++}`] = JSON.stringify(value);
    }
  }
  if (turn.inboxId !== undefined) Object.assign(params, { id: turn.inboxId, status: turn.status });
  const shape = `${writes}:${deletes}:${turn.messages.length}:${turn.inboxId === undefined ? 0 : 1}:${claim ? 1 : 0}`;
  const rows = await COMMIT_PG.rows(db, params, shape);
  return claim ? claimedFirst(turn.messages, rows, now) : undefined;
}

type Parts = QueryCreator<Database & { nothing: { one: number } }>;

/** Adds one data-modifying CTE to the commit (kysely types each CTE list apart: cast once here). */
function withPart(
  query: Parts,
  name: string,
  part: (qb: QueryCreator<Database>) => unknown,
): Parts {
  return query.with(
    name,
    (qb) => part(qb as unknown as QueryCreator<Database>) as never,
  ) as unknown as Parts;
}

const COMMIT_PG = new Prepared<{ id: number | string; status: string }, string>((db, $, shape) => {
  const [writes = 0, deletes = 0, messages = 0, inbox = 0, claim = 0] = shape
    .split(':')
    .map(Number);
  let query: Parts = db.with('nothing', (qb) => qb.selectNoFrom(sql<number>`1`.as('one')));
  if (writes > 0) query = withPart(query, 'state_written', (qb) => upsertStates(qb, $, writes));
  if (deletes > 0) query = withPart(query, 'state_deleted', (qb) => deleteStates(qb, $, deletes));
  if (messages > 0)
    query = withPart(query, 'queued', (qb) =>
      qb
        .insertInto('outbox')
        .values(outboxValues($, messages, claim === 1))
        .returning(['id', 'status']),
    );
  if (inbox > 0) query = withPart(query, 'finished', (qb) => finishInboxRow(qb, $));
  // The ids and statuses of the queued rows (the caller looks for a claimed first one).
  if (messages > 0)
    return (query as unknown as QueryCreator<{ queued: { id: number; status: string } }>)
      .selectFrom('queued')
      .select(['id', 'status']);
  return query
    .selectFrom('nothing')
    .select([sql<number>`0`.as('id'), sql<string>`''`.as('status')]);
});
