import type { AddressInfo } from 'node:net';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserDescribe, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Debian's chromium (installed by .ci/run); never a downloaded browser. */
const run = browserDescribe;
if (!CHROMIUM_PATH && process.env.CI !== 'true') {
  process.stderr.write(
    "simulator page test skipped: install Debian's chromium (apt-get install chromium)\n",
  );
}

run('the simulator page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/simulator`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('greets in Vietnamese, draws the buttons, answers a tap, and switches the page to English', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Xin chào');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe('Nhập tin nhắn...');

    await page.locator('.choices button', { hasText: 'Giới thiệu Tuần lễ' }).first().click();
    await expect
      .poll(() => page.locator('.msg.bot').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('01/10/2020')]));

    await page.fill('#text', 'chủ đề năm nay là gì');
    await page.press('#text', 'Enter');
    await expect
      .poll(() => page.locator('.msg.bot').last().textContent())
      .toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');

    await page.click('#lang');
    await expect
      .poll(() => page.locator('#title').textContent())
      .toBe('Lifelong Learning Week assistant');
    await expect
      .poll(() => page.locator('.msg.bot').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Switched to English.')]));
    await page.close();
  });
});
