import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionIndexFor } from '../../flows/questions.js';
import { loadContent } from '../../src/content/load.js';
import { ROOT } from '../../src/services.js';
import { evaluate, NO_ANSWER, type EvalQuestion } from '../../src/understanding/evaluate.js';

const questions = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'test/faq/questions.json'), 'utf8'),
) as EvalQuestion[];
const content = loadContent(path.join(ROOT, 'content'));

describe('FAQ evaluation set', () => {
  it('has at least 150 questions of every kind, each expecting an intent that exists', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    const kinds = new Set(questions.map((q) => q.kind));
    for (const kind of ['vi', 'plain', 'telex', 'abbr', 'en', 'events', 'none'])
      expect(kinds).toContain(kind);
    const ids = new Set([
      ...content.faq.map((e) => e.id),
      'events.today',
      'events.week',
      'events.next',
      'events.start',
      'events.countdown',
      'events.all',
      NO_ANSWER,
    ]);
    for (const q of questions)
      for (const id of [q.expect, ...(q.also ?? [])]) expect(ids, q.q).toContain(id);
  });

  it('ranks the right answer first for at least 90% and rarely answers wrongly', () => {
    const report = evaluate(questionIndexFor(content), questions, 1);
    const misses = report.misses.map((m) => `${m.question.q} -> ${m.got}`);
    expect(report.top1 / report.total, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(report.wrongAnswers / report.total).toBeLessThanOrEqual(0.02);
  });
});
