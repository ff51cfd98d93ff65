/**
 * Renders the first pages of the example report (the records of test/report/seed.ts plus a typed
 * draft) to docs/report-page.png through the printable HTML view and Debian's chromium:
 * `npm run docs:report-picture`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ManualClock } from '../../src/core/clock.js';
import { ROOT } from '../../src/services.js';
import { startTestApp } from '../helpers/app.js';
import { at, seedWeek } from './seed.js';

const TOKEN = 'report-picture-token-0123456789';
const headers = { authorization: `Bearer ${TOKEN}` };

const t = await startTestApp({
  clock: new ManualClock(at('2020-10-08T10:00:00')),
  env: { ADMIN_TOKEN: TOKEN },
});
try {
  await seedWeek(t.services.store, t.config.timezone);
  await t.app.inject({ method: 'POST', url: '/api/v1/report/snapshots', headers });
  await t.app.inject({
    method: 'PUT',
    url: '/api/v1/report/draft',
    headers,
    payload: {
      version: 0,
      draft: {
        province: 'tỉnh Nghệ An',
        department: 'Sở Giáo dục và Đào tạo',
        direction: [
          {
            ref: '1234/KH-SGDĐT',
            date: '2020-09-15',
            title: 'Kế hoạch tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2020',
          },
          {
            ref: '1290/SGDĐT-GDTX',
            date: '2020-09-22',
            title: 'Hướng dẫn các cơ sở giáo dục tổ chức hoạt động hưởng ứng Tuần lễ',
          },
        ],
        publicity: {
          mediaArticles: 18,
          portalPosts: 42,
          socialPosts: 65,
          socialReach: 23_500,
          banners: 120,
          slogans: 310,
          posters: 45,
          mobileVehicles: 3,
        },
        ceremonies: { ceremonies: 1, participants: 450 },
        notes: {
          ceremonies:
            'Lễ khai mạc cấp tỉnh tổ chức sáng 01/10/2020, kết hợp trực tiếp và trực tuyến.',
        },
      },
    },
  });
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/report?format=html', headers });
  const browser = await chromium.launch({
    executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
    await page.setContent(res.body, { waitUntil: 'load' });
    const file = path.join(ROOT, 'docs', 'report-page.png');
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 900, height: 1270 } });
    console.log(`wrote ${file} (${fs.statSync(file).size} bytes)`);
  } finally {
    await browser.close();
  }
} finally {
  await t.close();
}
