import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvalBot, type EvalBot } from '../../scripts/faq-eval/bot.js';
import { scoreCommands } from '../../scripts/faq-eval/commands.js';
import { citizenFiles, commandFiles } from '../../scripts/faq-eval/files.js';
import { scoreQuestions } from '../../scripts/faq-eval/questions.js';

/**
 * The measure of understanding, through the real bot: every independent side
 * (test/faq/citizen-*.json, written by people reading only the letter) must be answered at 90%
 * or better with at most 2% confident wrong answers, and every command file
 * (test/faq/commands-*.json) must have its effect in storage.
 */
/** Least share of an independent side answered right (the bar). */
const FLOOR = 0.9;

describe('understanding citizens (eval through the simulator)', () => {
  let bot: EvalBot;
  beforeAll(async () => {
    bot = await openEvalBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('has a dev side and a commands file in the expected format', () => {
    const sides = citizenFiles();
    expect(sides.map((s) => s.name)).toContain('dev');
    for (const side of sides)
      for (const item of side.items) {
        expect(typeof item.q, side.name).toBe('string');
        if (item.expect !== 'no-answer' && item.expect !== 'clarify')
          expect(item.any?.length, item.q).toBeGreaterThan(0);
      }
    expect(commandFiles().map((f) => f.name)).toContain('dev');
  });

  for (const side of citizenFiles()) {
    it(`answers the ${side.name} side (${side.items.length}) at the floor with ≤2% wrong answers`, async () => {
      const r = await scoreQuestions(bot, side.items, `t-${side.name}`);
      const misses = r.results.filter((x) => !x.ok).map((x) => `${x.outcome}: ${x.item.q}`);
      expect(r.ok / r.total, misses.join('\n')).toBeGreaterThanOrEqual(FLOOR);
      expect(r.wrong / r.total, misses.join('\n')).toBeLessThanOrEqual(0.02);
    }, 60_000);
  }

  for (const file of commandFiles()) {
    it(`has the effect of every command of ${file.name} (${file.items.length}) in storage`, async () => {
      const r = await scoreCommands(bot, file.items, `c-${file.name}`);
      const misses = r.results.filter((x) => !x.ok).map((x) => `${x.item.q}: ${x.why}`);
      expect(misses).toEqual([]);
    }, 60_000);
  }
});
