import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { simulate, startTestApp, type TestApp } from '../helpers/app.js';
import { DURING_ROUND, plan } from './helpers.js';

const TOKEN = 'quiz-admin-token-0123456789';

describe('quiz admin API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ clock: new ManualClock(DURING_ROUND), env: { ADMIN_TOKEN: TOKEN } });
  });
  afterEach(async () => {
    await t.close();
  });
  const get = (url: string, token: string | null = TOKEN) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('needs the bearer token', async () => {
    expect((await get('/quiz/results', null)).statusCode).toBe(401);
    expect((await get('/quiz/results', 'wrong-token-0123456789')).statusCode).toBe(401);
  });

  it.each([
    ['/quiz/results?format=pdf', 400, /Query parameter format/],
    ['/quiz/results?rounds=x', 400, /Unknown query parameter rounds/],
    ['/quiz/results?round=no-such-round', 404, /no round "no-such-round"/],
    ['/quiz/leaderboard?round=minh-hoa-1&province=Atlantis', 400, /province/],
    ['/quiz/leaderboard?round=minh-hoa-1', 400, /province/],
  ])('answers %s with %i and a message', async (url, status, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toMatch(message);
  });

  it('gives results, a leaderboard and report figures', async () => {
    const u = 'admin-u1';
    await simulate(t.app, { userId: u, text: 'thi' });
    await simulate(t.app, { userId: u, text: 'Nghệ An' });
    for (const [i, c] of plan(9).entries())
      await simulate(t.app, { userId: u, text: `QZ:${i}:${c}`, payload: `QZ:${i}:${c}` });
    await simulate(t.app, { userId: u, text: 'có' });
    await simulate(t.app, { userId: u, text: 'Hoa Ban' });
    const results = (await get('/quiz/results')).json();
    expect(results.demonstration).toBe(true);
    expect(results.items).toEqual([
      expect.objectContaining({
        province_id: 'nghe-an',
        score: 9,
        passed: 'yes',
        rank_in_province: 1,
      }),
    ]);
    expect(JSON.stringify(results)).not.toContain(u);
    const board = (await get('/quiz/leaderboard?round=minh-hoa-1&province=nghe an')).json();
    expect(board.lines).toEqual([
      expect.objectContaining({ rank: 1, nickname: 'Hoa Ban', score: 9 }),
    ]);
    const figures = (await get('/quiz/figures')).json();
    expect(figures.totals).toEqual({ entrants: 1, finished: 1, passed: 1 });
  });
});
