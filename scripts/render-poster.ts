/**
 * Renders an example campaign poster to docs/poster.png (the README's picture) with Debian's
 * chromium through playwright-core: `npm run poster:example [-- out.png]`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { platformLink } from '../src/campaigns/links.js';
import { LINK_PLATFORMS, parseFlow, type Campaign } from '../src/campaigns/model.js';
import { posterHtml } from '../src/campaigns/poster.js';
import { loadContent } from '../src/content/load.js';
import { createTranslator } from '../src/i18n.js';
import { ROOT } from '../src/services.js';

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'poster.png'));
const content = loadContent(path.join(ROOT, 'content'));
const t = createTranslator(path.join(ROOT, 'locales'));
const campaign: Campaign = {
  id: 1,
  ref: 'thpt-htk-bang-ron',
  name: 'Băng rôn cổng Trường THPT Huỳnh Thúc Kháng',
  kind: 'banner',
  place: 'Cổng trường THPT Huỳnh Thúc Kháng, TP Vinh',
  province: 'nghe-an',
  flow: 'registration',
  createdAt: Date.now(),
  retiredAt: null,
};
const config = {
  messengerPage: 'SoGDDTNgheAn',
  viberUri: 'hoctapsuotdoi',
  zaloOaId: '4024926008133882615',
};
const on = new Set(['messenger', 'viber', 'zalo'] as const);
const target = parseFlow(campaign.flow!, content);
const html = await posterHtml({
  campaign,
  target: typeof target === 'string' ? undefined : target,
  links: LINK_PLATFORMS.map((p) => platformLink(p, campaign.ref, config, on)),
  content,
  department: 'Sở Giáo dục và Đào tạo Nghệ An',
  locale: 'vi',
  t,
});

const executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-gpu',
    '--disable-component-update',
  ],
});
try {
  // A4 at 96 dpi: 794 x 1123 CSS pixels; twice that for a sharp picture.
  const page = await browser.newPage({
    viewport: { width: 794, height: 1123 },
    deviceScaleFactor: 1.25,
  });
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`poster written to ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
