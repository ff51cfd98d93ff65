import { afterEach, describe, expect, it } from 'vitest';
import { QuizRepo } from '../../src/quiz/repo.js';
import { BACKENDS, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(BACKENDS)('quiz attempts on $name', (backend) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });
  const key = (userId: string) => ({ edition: 2020, roundId: 'r1', channel: 'zalo', userId });
  const fields = { total: 2, locale: 'vi', province: 'hue' };

  it('keeps one attempt per person even when starts race', async () => {
    t = await startTestApp({ backend });
    const repo = new QuizRepo(t.services.store.db);
    const starts = await Promise.all(
      Array.from({ length: 8 }, () => repo.start(key('p1'), fields, 1000)),
    );
    expect(starts.filter((s) => s.created)).toHaveLength(1);
    expect(new Set(starts.map((s) => s.attempt.id)).size).toBe(1);
    expect(await repo.all(2020)).toHaveLength(1);
  });

  it('records answers in order and once, finishes on the last, ranks by score then time', async () => {
    t = await startTestApp({ backend });
    const repo = new QuizRepo(t.services.store.db);
    const a = (await repo.start(key('a'), fields, 1000)).attempt;
    expect(await repo.answer(a.id, 1, 0, true, 2000)).toBeUndefined(); // not the next question
    const first = await repo.answer(a.id, 0, 2, true, 2000);
    expect(first).toEqual(expect.objectContaining({ answered: 1, score: 1, finishedAt: null }));
    const again = await Promise.all([
      repo.answer(a.id, 1, 1, false, 9000),
      repo.answer(a.id, 1, 0, true, 9000),
    ]);
    expect(again.filter(Boolean)).toHaveLength(1);
    const done = (await repo.byId(a.id))!;
    expect(done.answered).toBe(2);
    expect(done.finishedAt).toBe(9000);

    const b = (await repo.start(key('b'), fields, 1000)).attempt;
    await repo.answer(b.id, 0, 2, true, 1500);
    await repo.answer(b.id, 1, 0, done.score === 2, 3000);
    const ranked = await repo.ranked(2020, 'r1', { province: 'hue' });
    expect(ranked.map((r) => r.userId)).toEqual(['b', 'a']);
  });
});
