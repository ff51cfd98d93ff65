import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/services.js';

/** The shipped demonstration round's right answers (index from 0), read from content/quiz.json. */
export function demoAnswers(): number[] {
  const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'content', 'quiz.json'), 'utf8')) as {
    banks: Array<{ rounds: Array<{ questions: Array<{ answer: number; choices: unknown[] }> }> }>;
  };
  return file.banks[0]!.rounds[0]!.questions.map((q) => q.answer);
}

/** A wrong choice for a question whose right answer is `answer`. */
export function wrong(answer: number): number {
  return answer === 0 ? 1 : 0;
}

/** The choices to give for `right` right answers out of the round (the first ones right). */
export function plan(right: number): number[] {
  return demoAnswers().map((a, i) => (i < right ? a : wrong(a)));
}

/** When the demonstration round is open (the Week of 2020, local time). */
export const DURING_ROUND = Date.parse('2020-10-02T09:00:00+07:00');

/** After the demonstration round closed. */
export const AFTER_ROUND = Date.parse('2031-01-01T00:00:00+07:00');
