import { sql, type Kysely, type Selectable } from 'kysely';
import { isUniqueViolation } from '../store/db.js';
import type { Database, QuizAttemptTable } from '../store/schema.js';

/** An attempt as the quiz sees it. */
export interface Attempt {
  id: number;
  edition: number;
  roundId: string;
  channel: string;
  userId: string;
  province: string | null;
  locale: string;
  answered: number;
  score: number;
  total: number;
  startedAt: number;
  finishedAt: number | null;
  showOnBoard: boolean;
  nickname: string | null;
}

/** Who is taking which round. */
export interface AttemptKey {
  edition: number;
  roundId: string;
  channel: string;
  userId: string;
}

function toAttempt(r: Selectable<QuizAttemptTable>): Attempt {
  return {
    id: Number(r.id),
    edition: Number(r.edition),
    roundId: r.round_id,
    channel: r.channel,
    userId: r.user_id,
    province: r.province,
    locale: r.locale,
    answered: Number(r.answered),
    score: Number(r.score),
    total: Number(r.total),
    startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    showOnBoard: Number(r.show_on_board) === 1,
    nickname: r.nickname,
  };
}

/** Ranking order: more right answers first, then the faster attempt, then the earlier one. */
const duration = sql<number>`finished_at - started_at`;

/** SQL for quiz attempts and answers. */
export class QuizRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The person's attempt at the round, if any. */
  async find(key: AttemptKey): Promise<Attempt | undefined> {
    const row = await this.db
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('edition', '=', key.edition)
      .where('round_id', '=', key.roundId)
      .where('channel', '=', key.channel)
      .where('user_id', '=', key.userId)
      .executeTakeFirst();
    return row ? toAttempt(row) : undefined;
  }

  /** The attempt with this id. */
  async byId(id: number): Promise<Attempt | undefined> {
    const row = await this.db
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAttempt(row) : undefined;
  }

  /** Starts the person's attempt; a second start (even racing) returns the first one. */
  async start(
    key: AttemptKey,
    fields: { total: number; locale: string; province: string | null },
    now: number,
  ): Promise<{ attempt: Attempt; created: boolean }> {
    try {
      await this.db
        .insertInto('quiz_attempts')
        .values({
          edition: key.edition,
          round_id: key.roundId,
          channel: key.channel,
          user_id: key.userId,
          province: fields.province,
          locale: fields.locale,
          total: fields.total,
          started_at: now,
        })
        .execute();
      return { attempt: (await this.find(key))!, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { attempt: (await this.find(key))!, created: false };
    }
  }

  /** Sets the province the attempt counts for. */
  async setProvince(id: number, province: string): Promise<void> {
    await this.db.updateTable('quiz_attempts').set({ province }).where('id', '=', id).execute();
  }

  /**
   * Records the answer to question `index` if it is the attempt's next one (in order, once);
   * returns the updated attempt, or undefined when it was not the next question.
   */
  async answer(
    id: number,
    index: number,
    choice: number,
    correct: boolean,
    now: number,
  ): Promise<Attempt | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('quiz_attempts')
        .set({
          answered: sql`answered + 1`,
          score: sql`score + cast(${correct ? 1 : 0} as integer)`,
          // Typed casts: PostgreSQL cannot infer a bare parameter's type inside CASE.
          finished_at: sql`case when answered + 1 >= total then cast(${now} as bigint) else null end`,
        })
        .where('id', '=', id)
        .where('answered', '=', index)
        .where('finished_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return undefined;
      await trx
        .insertInto('quiz_answers')
        .values({
          attempt_id: id,
          question_index: index,
          choice_index: choice,
          correct: correct ? 1 : 0,
          answered_at: now,
        })
        .execute();
      const row = await trx
        .selectFrom('quiz_attempts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return toAttempt(row);
    });
  }

  /** Records whether the person agreed to be shown, and under which nickname. */
  async setBoard(id: number, show: boolean, nickname: string | null): Promise<void> {
    await this.db
      .updateTable('quiz_attempts')
      .set({ show_on_board: show ? 1 : 0, nickname: show ? nickname : null })
      .where('id', '=', id)
      .execute();
  }

  /** Finished attempts of a round, best first (ties broken by time); optionally one province. */
  async ranked(
    edition: number,
    roundId: string,
    options: { province?: string; shownOnly?: boolean; limit?: number } = {},
  ): Promise<Attempt[]> {
    let q = this.db
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('edition', '=', edition)
      .where('round_id', '=', roundId)
      .where('finished_at', 'is not', null);
    if (options.province) q = q.where('province', '=', options.province);
    if (options.shownOnly) q = q.where('show_on_board', '=', 1);
    const rows = await q
      .orderBy('score', 'desc')
      .orderBy(duration)
      .orderBy('finished_at')
      .orderBy('id')
      .limit(options.limit ?? 100_000)
      .execute();
    return rows.map(toAttempt);
  }

  /** Every attempt of the edition (or one round), oldest first. */
  async all(edition: number, roundId?: string): Promise<Attempt[]> {
    let q = this.db.selectFrom('quiz_attempts').selectAll().where('edition', '=', edition);
    if (roundId) q = q.where('round_id', '=', roundId);
    return (await q.orderBy('id').execute()).map(toAttempt);
  }
}
