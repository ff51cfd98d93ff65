/**
 * Campaign codes and figures on SQLite: QR codes (PNG and SVG card) per second, arrivals recorded
 * per second, and how long `figures()` takes over many arrivals. Run: npm run bench:campaigns
 * [-- --arrivals 20000].
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { qrPng, qrSvgCard } from '../src/campaigns/qr.js';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/core/clock.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import { SubscriptionsRepo } from '../src/store/subscriptions-repo.js';

const argIndex = process.argv.indexOf('--arrivals');
const ARRIVALS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 20_000;
const KINDS = ['banner', 'poster', 'vehicle', 'school', 'social-post', 'press'] as const;

async function timed<T>(label: string, n: number, work: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  (${((n * 1000) / ms).toFixed(0)}/s)`,
  );
  return result;
}

const link = 'https://m.me/SoGDDTNgheAn?ref=c-thpt-huynh-thuc-khang-bang-ron';
await timed('QR PNG 1024 px x 50', 50, async () => {
  for (let i = 0; i < 50; i++) await qrPng(`${link}-${i}`);
});
await timed('QR SVG card x 200', 200, async () => {
  for (let i = 0; i < 200; i++)
    await qrSvgCard(`${link}-${i}`, {
      department: 'Sở GDĐT',
      callToAction: 'Quét mã',
      platform: 'Messenger',
    });
});

const clock = new ManualClock(Date.parse('2020-10-01T08:00:00+07:00'));
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'llw-camp-')),
});
const services = await createServices(config, { clock, logger: createLogger('silent') });
try {
  const { campaigns } = services;
  const refs: string[] = [];
  for (let i = 0; i < 60; i++) {
    const c = await campaigns.create({
      name: `Nguồn ${i}`,
      kind: KINDS[i % KINDS.length],
      place: `Địa điểm ${i % 12}`,
      province: i % 2 ? 'nghe-an' : 'ha-tinh',
      ref: `nguon-${i}`,
    });
    refs.push(c.ref);
  }
  await timed(`arrive() x ${ARRIVALS}`, ARRIVALS, async () => {
    for (let i = 0; i < ARRIVALS; i++) {
      clock.advance(1000);
      await campaigns.arrive(
        'messenger',
        `u${i % Math.ceil(ARRIVALS * 0.8)}`,
        `c-${refs[i % refs.length]}`,
      );
    }
  });
  const subs = new SubscriptionsRepo(services.store.db);
  for (let i = 0; i < ARRIVALS / 10; i++)
    await subs.set('messenger', `u${i}`, { optedIn: true, topics: ['news'] }, clock.now());
  const figures = await timed('figures() over all arrivals', 1, () =>
    campaigns.figures({ from: 0, to: clock.now() + 1 }),
  );
  await timed('list() with counts', 1, () => campaigns.list());
  console.log(
    `first contacts ${figures.total.firstContacts}, returning ${figures.total.returningContacts}, opt-ins ${figures.total.optIns}`,
  );
} finally {
  await services.close();
}
