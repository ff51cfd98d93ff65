import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionIndexFor } from '../../flows/questions.js';
import { loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { evaluate, type EvalQuestion } from '../../src/understanding/evaluate.js';

/**
 * The project's older question set (written next to the FAQ variants, so no measure of how
 * citizens write: see test/faq/README.md): a regression check of the matcher alone.
 */
describe('matcher regression (test/faq/questions.json)', () => {
  it('still ranks the right entry first for 90%+ and answers wrongly at most 2%', () => {
    const questions = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'test/faq/questions.json'), 'utf8'),
    ) as EvalQuestion[];
    const report = evaluate(
      questionIndexFor(loadContent(path.join(ROOT, 'content'))),
      questions,
      1,
    );
    const misses = report.misses.map((m) => `${m.question.q} -> ${m.got}`).join('\n');
    expect(report.top1 / report.total, misses).toBeGreaterThanOrEqual(0.9);
    expect(report.wrongAnswers / report.total, misses).toBeLessThanOrEqual(0.02);
  });
});
