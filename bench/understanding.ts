/**
 * Understanding speed: the median and p99 time of a question (a) in the bare matcher, (b) as a
 * bot turn (botbuilder TestAdapter into the real bot and services on SQLite: contact, dialog
 * state, FAQ answer) and (c) as a whole simulator request (HTTP inject, durable inbox, turn,
 * replies). The questions are those of test/faq/citizen-*.json. Run: npm run bench:understanding
 */
import { TestAdapter } from 'botbuilder-core';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { questionIndexFor } from '../flows/questions.js';
import { openEvalBot } from '../scripts/faq-eval/bot.js';
import { citizenFiles } from '../scripts/faq-eval/files.js';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const questions = citizenFiles().flatMap((f) => f.items.map((i) => i.q));

function stats(name: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  console.log(
    `${name.padEnd(34)} median ${at(0.5).toFixed(3)} ms   p99 ${at(0.99).toFixed(3)} ms   (n=${sorted.length})`,
  );
}

const bot = await openEvalBot();
try {
  const index = questionIndexFor(bot.services.content);
  const bare: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1)
    for (const q of questions) {
      const started = performance.now();
      index.analyse(q);
      bare.push(performance.now() - started);
    }

  const { bot: dialogs } = await bot.services.engine();
  const adapter = new TestAdapter((context) => dialogs.run(context), {
    channelId: 'simulator',
    conversation: { id: 'bench-turns', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'bench-turns', name: '' },
  });
  const turns: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r += 1)
    for (const q of questions) {
      const started = performance.now();
      await adapter.send(q);
      turns.push(performance.now() - started);
      adapter.activeQueue.splice(0);
    }

  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerTurn = (cpu.user + cpu.system) / 1000 / turns.length;

  const requests: number[] = [];
  for (let r = 0; r < Math.max(1, ROUNDS / 5); r += 1)
    for (const [i, q] of questions.entries()) {
      const started = performance.now();
      await bot.send(`bench-${r}-${i}`, { text: q });
      requests.push(performance.now() - started);
    }

  stats('matcher (QuestionIndex.analyse)', bare);
  stats('bot turn (TestAdapter, SQLite)', turns);
  stats('simulator request (inbox + turn)', requests);
  // Wall time suffers from other processes on a busy machine; CPU time much less so.
  console.log(`bot turn, CPU time (mean)           ${cpuPerTurn.toFixed(3)} ms`);
  console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
} finally {
  await bot.close();
}
