import { performance } from 'node:perf_hooks';
import type { Match, QuestionIndex } from './question-index.js';

/** Expected id of a question nothing should answer directly. */
export const NO_ANSWER = '@none';

/** One question of the evaluation set (test/faq/questions.json). */
export interface EvalQuestion {
  q: string;
  /** The intent that should rank first, or "@none". */
  expect: string;
  /** Other intents whose answer is just as right. */
  also?: string[];
  /** vi, plain (no diacritics), telex, abbr, en, events, none. */
  kind: string;
}

/** A question the index got wrong. */
export interface Miss {
  question: EvalQuestion;
  got: string;
  kind: Match['kind'];
}

/** How the index did on the set. */
export interface EvalReport {
  total: number;
  /** The expected intent ranked first (for "@none": nothing answered directly). */
  top1: number;
  /** Answered directly with the expected intent. */
  direct: number;
  /** Answered directly with another intent: the worst outcome. */
  wrongAnswers: number;
  byKind: Record<string, { total: number; top1: number }>;
  misses: Miss[];
  /** Median time of one match, in milliseconds. */
  medianMs: number;
}

function topOf(match: Match): string {
  if (match.kind === 'answer') return match.id;
  return match.candidates[0]?.id ?? NO_ANSWER;
}

/** Runs the evaluation set through the index (each question `rounds` times for the timing). */
export function evaluate(
  index: QuestionIndex,
  questions: readonly EvalQuestion[],
  rounds = 5,
): EvalReport {
  const times: number[] = [];
  const report: EvalReport = {
    total: questions.length,
    top1: 0,
    direct: 0,
    wrongAnswers: 0,
    byKind: {},
    misses: [],
    medianMs: 0,
  };
  for (const question of questions) {
    let match: Match | undefined;
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      match = index.analyse(question.q);
      times.push(performance.now() - started);
    }
    const result = match!;
    const accepted = [question.expect, ...(question.also ?? [])];
    const top = topOf(result);
    const ok = question.expect === NO_ANSWER ? result.kind !== 'answer' : accepted.includes(top);
    const kind = (report.byKind[question.kind] ??= { total: 0, top1: 0 });
    kind.total += 1;
    if (ok) {
      report.top1 += 1;
      kind.top1 += 1;
    } else {
      report.misses.push({ question, got: top, kind: result.kind });
    }
    if (result.kind === 'answer') {
      if (accepted.includes(result.id)) report.direct += 1;
      else report.wrongAnswers += 1;
    }
  }
  times.sort((a, b) => a - b);
  report.medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return report;
}
