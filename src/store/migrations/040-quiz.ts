import type { Kysely } from 'kysely';
import { idColumn, millis, primaryId, type Dialect } from '../migration-helpers.js';

/** Quiz contest: one attempt per person per round, and each answer given in it. */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('quiz_attempts')
      .addColumn('id', idColumn(dialect), primaryId(dialect))
      .addColumn('edition', 'integer', (c) => c.notNull())
      .addColumn('round_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('province', 'text')
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('started_at', millis(dialect), (c) => c.notNull())
      .addColumn('finished_at', millis(dialect))
      /** Shown on the leaderboard under `nickname` only when the person agreed (1). */
      .addColumn('show_on_board', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('nickname', 'text')
      .execute();
    // One attempt per person per round: the unique key is the rule, not a check before insert.
    await db.schema
      .createIndex('quiz_attempts_person_uq')
      .unique()
      .on('quiz_attempts')
      .columns(['edition', 'round_id', 'channel', 'user_id'])
      .execute();
    await db.schema
      .createIndex('quiz_attempts_board_idx')
      .on('quiz_attempts')
      .columns(['edition', 'round_id', 'province', 'score'])
      .execute();
    await db.schema
      .createTable('quiz_answers')
      .addColumn('attempt_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
        c.notNull().references('quiz_attempts.id').onDelete('cascade'),
      )
      .addColumn('question_index', 'integer', (c) => c.notNull())
      .addColumn('choice_index', 'integer', (c) => c.notNull())
      .addColumn('correct', 'integer', (c) => c.notNull())
      .addColumn('answered_at', millis(dialect), (c) => c.notNull())
      .addPrimaryKeyConstraint('quiz_answers_pk', ['attempt_id', 'question_index'])
      .execute();
  };
}
