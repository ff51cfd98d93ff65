/**
 * Measures understanding through the real bot: every test/faq/citizen-*.json side (accuracy by
 * kind, wrong direct answers, honesty when the letter is silent) and every
 * test/faq/commands-*.json file (effects in storage). `npm run eval:faq [-- --verbose] [-- --sides=dev,dev2]`.
 */
import { openEvalBot } from './faq-eval/bot.js';
import { scoreCommands } from './faq-eval/commands.js';
import { citizenFiles, commandFiles } from './faq-eval/files.js';
import { scoreQuestions } from './faq-eval/questions.js';

const verbose = process.argv.includes('--verbose');
// `--sides=dev,dev2`: only these sides, so work on the understanding never looks at the test side.
const sides = process.argv
  .find((a) => a.startsWith('--sides='))
  ?.slice('--sides='.length)
  .split(',');
const chosen = (name: string) => !sides || sides.includes(name);
const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);
const bot = await openEvalBot();
try {
  for (const side of citizenFiles().filter((f) => chosen(f.name))) {
    const r = await scoreQuestions(bot, side.items, `eval-${side.name}`);
    console.log(`\n== questions: ${side.name} (${r.total}) ==`);
    console.log(`accuracy:       ${pct(r.ok, r.total)} (${r.ok}/${r.total})`);
    console.log(
      `wrong answers:  ${pct(r.wrong, r.total)} (${r.wrong}; a confident answer that fails)`,
    );
    console.log(`honest on no-answer: ${pct(r.honest, r.noAnswer)} (${r.honest}/${r.noAnswer})`);
    const outcomes: Record<string, number> = {};
    for (const x of r.results) outcomes[x.outcome] = (outcomes[x.outcome] ?? 0) + 1;
    console.log(`outcomes:       ${JSON.stringify(outcomes)}`);
    console.log('by kind:');
    for (const [kind, k] of Object.entries(r.byKind).sort())
      console.log(`  ${kind.padEnd(14)} ${pct(k.ok, k.total).padStart(6)} (${k.ok}/${k.total})`);
    for (const x of r.results.filter((x) => !x.ok || verbose)) {
      const first = x.replies[0]?.text.split('\n')[0]?.slice(0, 100) ?? '';
      console.log(
        `  ${x.ok ? 'ok  ' : 'MISS'} [${x.item.kind}] ${x.outcome}: "${x.item.q}" -> ${first}`,
      );
    }
  }
  for (const file of commandFiles().filter((f) => chosen(f.name))) {
    const r = await scoreCommands(bot, file.items, `cmd-${file.name}`);
    console.log(`\n== commands: ${file.name} (${r.total}) ==`);
    console.log(`effects as expected: ${pct(r.ok, r.total)} (${r.ok}/${r.total})`);
    for (const [expect, e] of Object.entries(r.byExpect))
      console.log(`  ${expect.padEnd(10)} ${pct(e.ok, e.total).padStart(6)} (${e.ok}/${e.total})`);
    console.log(
      `opt-ins that unsubscribed a subscribed person: ${r.optInsThatUnsubscribed.length}`,
    );
    for (const x of r.results.filter((x) => !x.ok))
      console.log(`  MISS [${x.item.expect}] "${x.item.q}": ${x.why}`);
  }
} finally {
  await bot.close();
}
