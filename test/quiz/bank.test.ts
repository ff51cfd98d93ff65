import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '../../src/content/load.js';
import { loadQuizBank } from '../../src/quiz/bank.js';
import { ROOT } from '../../src/services.js';
import { startTestApp, tempDir } from '../helpers/app.js';

const shipped = path.join(ROOT, 'content');

/** Sets (or with `undefined`, deletes) the value at a dotted path of parsed JSON. */
function setPath(data: unknown, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = data as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  if (value === undefined) delete node[parts.at(-1)!];
  else node[parts.at(-1)!] = value;
}

/** A content folder with the shipped files and quiz.json changed by `edit`. */
function withQuiz(edit: (quiz: unknown) => void): string {
  const dir = tempDir();
  fs.cpSync(shipped, dir, { recursive: true });
  const quiz: unknown = JSON.parse(fs.readFileSync(path.join(shipped, 'quiz.json'), 'utf8'));
  edit(quiz);
  fs.writeFileSync(path.join(dir, 'quiz.json'), JSON.stringify(quiz));
  return dir;
}

describe('quiz question banks', () => {
  it('ships a demonstration round of ten questions that reads as one', () => {
    const bank = loadQuizBank(shipped, 2020);
    expect(bank.demonstration).toBe(true);
    expect(bank.rounds).toHaveLength(1);
    const round = bank.rounds[0]!;
    expect(round.title.vi).toContain('Vòng thi minh hoạ');
    expect(round.title.en).toContain('Demonstration round');
    expect(round.questions).toHaveLength(10);
    for (const q of round.questions) expect(q.lesson.vi.length).toBeLessThanOrEqual(300);
  });

  it('has no rounds for an edition without a bank', () => {
    expect(loadQuizBank(shipped, 2031).rounds).toEqual([]);
  });

  it.each([
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.questions.2.answer', 3),
      /quiz\.json: field banks\.0\.rounds\.0\.questions\.2\.answer: answer must be the index/,
    ],
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.closesAt', '2020-08-01T00:00:00+07:00'),
      /field banks\.0\.rounds\.0\.closesAt: closesAt must be after opensAt/,
    ],
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.opensAt', '01/10/2020'),
      /field banks\.0\.rounds\.0\.opensAt: must be a time with its UTC offset/,
    ],
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.passMark', 11),
      /field banks\.0\.rounds\.0\.passMark: passMark must not exceed/,
    ],
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.questions.0.choices', [{ vi: 'a', en: 'a' }]),
      /field banks\.0\.rounds\.0\.questions\.0\.choices/,
    ],
    [
      (q: unknown) => setPath(q, 'banks.0.rounds.0.questions.1.lesson', undefined),
      /field banks\.0\.rounds\.0\.questions\.1\.lesson: Required/,
    ],
  ])('names the file and field of a mistake (%#)', async (edit, message) => {
    const dir = withQuiz(edit);
    expect(() => loadQuizBank(dir, 2020)).toThrow(ContentError);
    expect(() => loadQuizBank(dir, 2020)).toThrow(message);
    // And the server refuses to start on it.
    await expect(startTestApp({ env: { CONTENT_DIR: dir } })).rejects.toThrow(message);
  });

  it('refuses to start without quiz.json', async () => {
    const dir = withQuiz(() => undefined);
    fs.rmSync(path.join(dir, 'quiz.json'));
    await expect(startTestApp({ env: { CONTENT_DIR: dir } })).rejects.toThrow(
      /quiz\.json: cannot be read/,
    );
  });
});
