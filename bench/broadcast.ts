// `npm run bench:broadcast [-- --n 100000 --seconds 10 --pg]`: seeds N contacts across Messenger,
// Viber and Zalo and broadcasts to them through HTTP channels (the real platform channels live on
// other branches) against a fake platform API in its own process, over real HTTP. Prints messages
// per second without rate limits, the share of the configured rate limit reached with limits,
// peak memory and duplicates (must be 0). Not a test: nothing here fails on a number.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.js';
import type { ChannelId } from '../src/core/events.js';
import { createLogger } from '../src/logger.js';
import { createServices, ROOT, type Services } from '../src/services.js';
import { dropSchema } from '../test/helpers/app.js';
import { seedContacts, type SeedContact } from '../test/helpers/contacts.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/helpers/env.js';
import { HttpChannel } from '../test/helpers/fake-platform.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    pg: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const SECONDS = Number(values.seconds);

interface Stats {
  messages: number;
  unique: number;
  duplicates: number;
  channels: Record<string, { requests: number; messages: number; first: number; last: number }>;
}

async function startFakeApi(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/fake-api.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      const m = /LISTENING (\d+)/.exec(c.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 50);

async function run(
  label: string,
  api: string,
  contacts: SeedContact[],
  rates: Config['broadcast']['rates'],
  viberBatch: boolean,
): Promise<{ seconds: number; stats: Stats; prepareMs: number }> {
  const schema = values.pg ? uniqueName('bench') : undefined;
  const base = loadConfig({
    NODE_ENV: 'production',
    // The repository's content is the demonstration set, which production refuses otherwise.
    ALLOW_DEMONSTRATION_CONTENT: 'on',
    LOG_LEVEL: 'warn',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'llw-bench-')),
    BROADCAST_QUIET_HOURS: 'off',
    ...(values.pg ? { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL } : {}),
  });
  const config: Config = { ...base, broadcast: { ...base.broadcast, rates } };
  const services: Services = await createServices(config, {
    logger: createLogger('warn'),
    keyPrefix: uniqueName('bench'),
    ...(schema ? { pgSchema: schema } : {}),
    channels: [
      new HttpChannel('messenger', api),
      new HttpChannel('viber', api, { batch: viberBatch }),
      new HttpChannel('zalo', api),
    ],
    broadcastEngine: { pollMs: 20 },
  });
  try {
    await fetch(`${api}/reset`, { method: 'POST' });
    const seedStart = performance.now();
    await seedContacts(services.store, contacts, Date.now());
    process.stdout.write(
      `${label}: seeded ${contacts.length} contacts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    peakRss = 0;
    peakHeap = 0;
    const start = performance.now();
    const { broadcast } = await services.broadcasts.create({
      message: {
        vi: 'Lễ khai mạc Tuần lễ lúc 8 giờ sáng mai',
        en: 'The opening ceremony is at 8 tomorrow',
      },
      segment: {},
      dryRun: false,
    });
    let prepareMs = 0;
    for (;;) {
      await services.broadcasts.engine.tick();
      const report = await services.broadcasts.report(broadcast.id);
      if (!prepareMs && report?.startedAt)
        prepareMs = Date.parse(report.startedAt) - (Date.now() - (performance.now() - start));
      if (report?.status === 'done') break;
    }
    const seconds = (performance.now() - start) / 1000;
    const stats = (await (await fetch(`${api}/stats`)).json()) as Stats;
    return { seconds, stats, prepareMs };
  } finally {
    await services.close();
    if (schema) await dropSchema(schema);
  }
}

function population(n: number, mix: Array<[ChannelId, number]>): SeedContact[] {
  const out: SeedContact[] = [];
  let i = 0;
  for (const [channel, share] of mix)
    for (let k = 0; k < Math.round(n * share); k += 1, i += 1)
      out.push({
        channel,
        userId: `${channel}-${i}`,
        followed: channel === 'messenger' ? null : true,
        locale: i % 5 === 0 ? 'en' : 'vi',
      });
  return out;
}

const api = await startFakeApi();
try {
  process.stdout.write(
    `Broadcast benchmark on ${values.pg ? 'PostgreSQL + Redis' : 'SQLite (embedded)'}, Node ${process.version}, ${os.cpus().length} CPUs\n\n`,
  );

  const unlimited = { messenger: 1e9, viber: 1e9, zalo: 1e9, simulator: 1e9 };
  const mix: Array<[ChannelId, number]> = [
    ['zalo', 0.4],
    ['messenger', 0.3],
    ['viber', 0.3],
  ];
  for (const batch of [false, true]) {
    const a = await run(
      `unlimited${batch ? ', Viber batches' : ''}`,
      api.url,
      population(N, mix),
      unlimited,
      batch,
    );
    process.stdout.write(
      `  ${a.stats.messages} messages in ${a.seconds.toFixed(1)} s = ${Math.round(a.stats.messages / a.seconds)} messages/s` +
        ` (recipients written in ${(a.prepareMs / 1000).toFixed(1)} s); requests: ${Object.entries(
          a.stats.channels,
        )
          .map(([c, s]) => `${c} ${s.requests}`)
          .join(', ')}\n` +
        `  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MB; duplicates ${a.stats.duplicates}; unique recipients ${a.stats.unique}/${N}\n\n`,
    );
  }

  const rates = loadConfig({}).broadcast.rates;
  const limitedMix: Array<[ChannelId, number]> = [
    ['messenger', rates.messenger * SECONDS],
    ['zalo', rates.zalo * SECONDS],
    ['viber', rates.viber * SECONDS],
  ];
  const contacts = population(1, limitedMix);
  const b = await run(`limited (defaults), one-by-one`, api.url, contacts, rates, false);
  for (const [channel, s] of Object.entries(b.stats.channels)) {
    const rate = rates[channel as ChannelId];
    const achieved = (s.requests - Math.ceil(rate / 5)) / ((s.last - s.first) / 1000);
    process.stdout.write(
      `  ${channel}: ${s.requests} requests in ${((s.last - s.first) / 1000).toFixed(1)} s = ${achieved.toFixed(1)}/s of ${rate}/s configured (${((100 * achieved) / rate).toFixed(1)}%)\n`,
    );
  }
  process.stdout.write(
    `  duplicates ${b.stats.duplicates}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB\n`,
  );
} finally {
  clearInterval(sampler);
  api.stop();
}
