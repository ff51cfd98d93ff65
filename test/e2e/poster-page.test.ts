import jsQRModule from 'jsqr';
import { type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserDescribe, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import { campaignBody, startWorld, type CampaignWorld } from '../campaigns/helpers.js';

const jsQR = jsQRModule.default;

/** Debian's chromium (installed by .ci/run); never a downloaded browser. */
const run = browserDescribe;
if (!CHROMIUM_PATH && process.env.CI !== 'true')
  process.stderr.write(
    "poster test skipped: install Debian's chromium (apt-get install chromium)\n",
  );

run('the campaign poster in a real browser', () => {
  let w: CampaignWorld;
  let browser: Browser;
  let html = '';
  let links: Array<{ platform: string; url: string }> = [];

  beforeAll(async () => {
    w = await startWorld(['messenger', 'viber', 'zalo']);
    const created = await w.api('POST', '/campaigns', campaignBody());
    links = created.json.links;
    html = await (await w.api('GET', `/campaigns/${created.json.id}/poster`)).res.text();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('prints on one A4 page', async () => {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.close();
  });

  it('shows three codes a phone camera reads back to the links', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    await page.setContent(html, { waitUntil: 'load' });
    const cards = page.locator('.code svg');
    expect(await cards.count()).toBe(3);
    const read: string[] = [];
    for (let i = 0; i < 3; i++) {
      const image = PNG.sync.read(await cards.nth(i).screenshot());
      read.push(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? '');
    }
    expect(read).toEqual(links.map((l) => l.url));
    await page.close();
  });
});
