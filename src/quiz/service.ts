import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { QuizBank, QuizRound } from './bank.js';
import { QuizRepo, type Attempt, type AttemptKey } from './repo.js';

/** What became of an answer. */
export type AnswerOutcome =
  | { kind: 'recorded'; correct: boolean; attempt: Attempt }
  /** The round closed before the answer arrived: it is not counted. */
  | { kind: 'closed' }
  /** Not the attempt's next question (an old button, a repeat): nothing recorded. */
  | { kind: 'stale'; attempt: Attempt | undefined };

/** One line of a leaderboard: a nickname, never a name or an id. */
export interface BoardLine {
  rank: number;
  nickname: string;
  score: number;
  total: number;
  seconds: number;
}

/** Figures for the Ministry report, per round of the edition. */
export interface QuizFigures {
  edition: number;
  demonstration: boolean;
  rounds: Array<{
    roundId: string;
    entrants: number;
    finished: number;
    passed: number;
    /** Entrants per province id ("unknown" when the person gave none). */
    byProvince: Record<string, { entrants: number; finished: number; passed: number }>;
  }>;
  totals: { entrants: number; finished: number; passed: number };
}

/** The quiz contest: rounds in time, one attempt per person, answers, leaderboard, figures. */
export class QuizService {
  readonly repo: QuizRepo;

  constructor(
    db: Kysely<Database>,
    readonly bank: QuizBank,
  ) {
    this.repo = new QuizRepo(db);
  }

  /** The round open at `now` (the earliest-opened when several are). */
  openRound(now: number): QuizRound | undefined {
    return this.bank.rounds
      .filter((r) => r.opensAt <= now && now < r.closesAt)
      .sort((a, b) => a.opensAt - b.opensAt)[0];
  }

  /** The next round to open after `now`. */
  nextRound(now: number): QuizRound | undefined {
    return this.bank.rounds.filter((r) => r.opensAt > now).sort((a, b) => a.opensAt - b.opensAt)[0];
  }

  /** The most recent round that opened at or before `now` (open or closed). */
  latestRound(now: number): QuizRound | undefined {
    return this.bank.rounds
      .filter((r) => r.opensAt <= now)
      .sort((a, b) => b.opensAt - a.opensAt)[0];
  }

  /** The round with this id. */
  round(id: string): QuizRound | undefined {
    return this.bank.rounds.find((r) => r.id === id);
  }

  /** The key of a person's attempt at a round. */
  key(round: QuizRound, channel: string, userId: string): AttemptKey {
    return { edition: this.bank.edition, roundId: round.id, channel, userId };
  }

  /** Starts (or finds) the person's one attempt at the round. */
  start(
    round: QuizRound,
    who: { channel: string; userId: string; locale: string; province: string | null },
    now: number,
  ): Promise<{ attempt: Attempt; created: boolean }> {
    return this.repo.start(
      this.key(round, who.channel, who.userId),
      { total: round.questions.length, locale: who.locale, province: who.province },
      now,
    );
  }

  /** Records the answer to the attempt's next question, refused once the round closed. */
  async answer(
    round: QuizRound,
    attempt: Attempt,
    index: number,
    choice: number,
    now: number,
  ): Promise<AnswerOutcome> {
    if (now >= round.closesAt || now < round.opensAt) return { kind: 'closed' };
    const question = round.questions[index];
    if (!question || choice < 0 || choice >= question.choices.length)
      return { kind: 'stale', attempt };
    const correct = question.answer === choice;
    const updated = await this.repo.answer(attempt.id, index, choice, correct, now);
    if (!updated) return { kind: 'stale', attempt: await this.repo.byId(attempt.id) };
    return { kind: 'recorded', correct, attempt: updated };
  }

  /** True when the attempt reached the round's pass mark. */
  passed(round: QuizRound, attempt: Attempt): boolean {
    return attempt.finishedAt !== null && attempt.score >= round.passMark;
  }

  /** The leaderboard of a province: agreed entrants only, by nickname, best first. */
  async board(round: QuizRound, province: string, limit = 10): Promise<BoardLine[]> {
    const ranked = await this.repo.ranked(this.bank.edition, round.id, {
      province,
      shownOnly: true,
      limit,
    });
    return ranked.map((a, i) => ({
      rank: i + 1,
      nickname: a.nickname ?? '',
      score: a.score,
      total: a.total,
      seconds: Math.round(((a.finishedAt ?? a.startedAt) - a.startedAt) / 1000),
    }));
  }

  /** The attempt's place among every finished attempt of its province (shown or not). */
  async rankInProvince(attempt: Attempt): Promise<number | undefined> {
    if (attempt.finishedAt === null || !attempt.province) return undefined;
    const ranked = await this.repo.ranked(attempt.edition, attempt.roundId, {
      province: attempt.province,
    });
    const i = ranked.findIndex((a) => a.id === attempt.id);
    return i < 0 ? undefined : i + 1;
  }

  /** Entrants, finishers and passes per round and province, for the Ministry report. */
  async figures(): Promise<QuizFigures> {
    const attempts = await this.repo.all(this.bank.edition);
    const totals = { entrants: 0, finished: 0, passed: 0 };
    const rounds = this.bank.rounds.map((round) => {
      const mine = attempts.filter((a) => a.roundId === round.id);
      const byProvince: QuizFigures['rounds'][number]['byProvince'] = {};
      let finished = 0;
      let passed = 0;
      for (const a of mine) {
        const p = (byProvince[a.province ?? 'unknown'] ??= { entrants: 0, finished: 0, passed: 0 });
        p.entrants += 1;
        if (a.finishedAt !== null) {
          p.finished += 1;
          finished += 1;
        }
        if (this.passed(round, a)) {
          p.passed += 1;
          passed += 1;
        }
      }
      totals.entrants += mine.length;
      totals.finished += finished;
      totals.passed += passed;
      return { roundId: round.id, entrants: mine.length, finished, passed, byProvince };
    });
    return { edition: this.bank.edition, demonstration: this.bank.demonstration, rounds, totals };
  }
}
