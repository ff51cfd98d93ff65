import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvalBot, type EvalBot } from '../../scripts/faq-eval/bot.js';
import { scoreCommands } from '../../scripts/faq-eval/commands.js';
import { citizenFiles, commandFiles } from '../../scripts/faq-eval/files.js';
import { scoreQuestions } from '../../scripts/faq-eval/questions.js';

/**
 * The measure of understanding, through the real bot. Every side (test/faq/citizen-*.json, written
 * by people reading only the letter) is held to at most 2% confident wrong answers (dev3: see
 * WRONG) and to a floor:
 * the 90% for the development sides (dev, dev2), which thresholds were calibrated on; the
 * held-out `test` side, never used for tuning, is held just under what it measures (90.2% on
 * 2026-12-02: see test/faq/README.md), so a regression fails.
 * Commands (test/faq/commands-*.json) are checked by their effect in storage: every development
 * item must work; on the held-out side every opt-out and every look-alike that must change
 * nothing ("none") must work, and the rest at 95% or better.
 */
const FLOORS: Record<string, number> = { test: 0.89, dev3: 0.8 };
const FLOOR = 0.9;
/**
 * The third development side (dev3: long, mixed, regional and English messages, written after
 * everything else) is held to what it measured when it arrived, wrong answers included.
 */
const WRONG: Record<string, number> = { dev3: 0.06 };
/** Commands that must never be missed on any side: a missed opt-out keeps a person subscribed. */
const NEVER_MISSED = new Set(['optout', 'none']);

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
    it(`answers the ${side.name} side (${side.items.length}) at its floor with ≤${100 * (WRONG[side.name] ?? 0.02)}% wrong answers`, async () => {
      const r = await scoreQuestions(bot, side.items, `t-${side.name}`);
      const misses = r.results.filter((x) => !x.ok).map((x) => `${x.outcome}: ${x.item.q}`);
      expect(r.ok / r.total, misses.join('\n')).toBeGreaterThanOrEqual(FLOORS[side.name] ?? FLOOR);
      expect(r.wrong / r.total, misses.join('\n')).toBeLessThanOrEqual(WRONG[side.name] ?? 0.02);
    }, 60_000);
  }

  for (const file of commandFiles()) {
    it(`has the effect of the commands of ${file.name} (${file.items.length}) in storage`, async () => {
      const r = await scoreCommands(bot, file.items, `c-${file.name}`);
      const missed = r.results.filter((x) => !x.ok);
      const misses = missed.map((x) => `${x.item.q}: ${x.why}`);
      // No opt-in phrasing may ever turn announcements off.
      expect(r.optInsThatUnsubscribed.map((x) => x.q)).toEqual([]);
      if (file.name.startsWith('dev')) expect(misses).toEqual([]);
      else {
        expect(missed.filter((x) => NEVER_MISSED.has(x.item.expect)).map((x) => x.item.q)).toEqual(
          [],
        );
        expect(1 - missed.length / r.total, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
      }
    }, 60_000);
  }
});
