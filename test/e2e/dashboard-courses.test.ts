import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserDescribe, launchChromium, shootFailure } from '../helpers/browser.js';
import { BEFORE_WEEK } from '../registration/helpers.js';

const OWNER = 'owner-token-for-course-browser-test';
const HS_PH = 'internet-an-toan-hs-ph';
const HS_PH_0210 = 'internet-an-toan-hs-ph-0210';
const SHOTS = path.resolve('docs/screenshots');
const FAILURES = path.resolve('test-results/dashboard-courses');

browserDescribe('an editor changes sessions from a phone', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let editorToken: string;
  const pages: Page[] = [];

  /** What a citizen is told, through the simulator's HTTP endpoint and the real dialogs. */
  const tell = async (userId: string, message: { text?: string; payload?: string }) => {
    const res = await fetch(`${base}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, ...message }),
    });
    const body = (await res.json()) as { replies: Array<{ text: string }> };
    return body.replies.map((r) => r.text).join('\n');
  };
  /** The sessions the bot offers for the course, asked the way a citizen does: menu, register, kind. */
  const offered = async (userId: string) => {
    for (const text of ['menu', '2', '2']) await tell(userId, { text });
    return tell(userId, { payload: `REG_COURSE:${HS_PH}` });
  };
  const noSidewaysScroll = async (page: Page) =>
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      page.url(),
    ).toBeLessThanOrEqual(0);

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(BEFORE_WEEK), env: { ADMIN_TOKEN: OWNER } });
    const { accounts } = await dashboardContext(t.app, t.services);
    const made = await accounts.createToken('Chị Lan', 'editor', (await accounts.verify(OWNER))!);
    if (!made.ok) throw new Error('no editor token');
    editorToken = made.token;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shootFailure(FAILURES, ctx.task.name, pages);
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('edits a session’s seats and adds a session on a phone, and the next citizen registering sees both', async () => {
    const before = await offered('citizen-before');
    expect(before).toContain('02/10 08:00 · Hà Nội · còn 40 chỗ');

    const page = await browser.newPage({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      locale: 'vi-VN',
    });
    pages.push(page);
    await page.goto(`${base}/admin`);
    await page.fill('#token', editorToken);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);

    await page.goto(`${base}/admin/content#courses`);
    await noSidewaysScroll(page);
    await page.click(`a[href="/admin/content/courses/${HS_PH}/sessions/${HS_PH_0210}"]`);
    await noSidewaysScroll(page);
    expect(await page.inputValue('#capacity')).toBe('40');
    await page.fill('#capacity', '0');
    await page.click('#save-session');
    expect(await page.locator('#err-capacity').textContent()).toBe(
      'Số chỗ phải là số nguyên từ 1 đến 100.000.',
    );
    await page.fill('#capacity', '45');
    await page.click('#save-session');
    await page.waitForURL(/\/admin\/content\?course=/);
    expect(await page.locator('.notice.ok').textContent()).toContain(
      'Người đăng ký tiếp theo thấy ngay thông tin mới',
    );
    expect(await page.locator(`li[data-session="${HS_PH_0210}"] .seats`).textContent()).toContain(
      '0/45',
    );

    await page.click(`a[href="/admin/content/courses/${HS_PH}"]`);
    await noSidewaysScroll(page);
    await page.click('#add-session');
    await noSidewaysScroll(page);
    await page.check('#schedule-scheduled');
    await page.fill('#date', '2020-10-09');
    await page.fill('#start', '14:00');
    await page.fill('#end', '16:30');
    await page.check('#place-venue');
    await page.fill('#address_vi', 'Nhà văn hóa phường Hưng Dũng');
    await page.fill('#address_en', 'Hung Dung community hall');
    await page.selectOption('#province', 'nghe-an');
    await page.fill('#capacity', '35');
    await page.screenshot({ path: path.join(SHOTS, 'content-session-phone.png'), fullPage: true });
    await page.click('#save-session');
    await page.waitForURL(/\/admin\/content\?course=/);
    await noSidewaysScroll(page);
    const added = page.locator(`li[data-course="${HS_PH}"] li[data-session="${HS_PH}-1"]`);
    expect(await added.textContent()).toContain('09/10 14:00 · Nghệ An');

    const after = await offered('citizen-after');
    expect(after).toContain('02/10 08:00 · Hà Nội · còn 45 chỗ');
    expect(after).toContain('09/10 14:00 · Nghệ An · còn 35 chỗ');
    // A citizen registers for the new session through the real dialogs.
    const u = 'citizen-new-session';
    expect(await tell(u, { payload: `REGISTER:${HS_PH}-1` })).toContain('Họ và tên');
    for (const text of ['Nguyễn Thị Ánh', '0912345678', 'Nghệ An', '3', 'đồng ý'])
      await tell(u, { text });
    expect(await tell(u, { text: 'có' })).toContain('Nhà văn hóa phường Hưng Dũng');
    const rows = await t.services.store.db
      .selectFrom('registrations')
      .select(['session_id', 'status'])
      .execute();
    expect(rows).toEqual([{ session_id: `${HS_PH}-1`, status: 'confirmed' }]);
    await page.reload();
    expect(await added.locator('.seats').textContent()).toContain('1/35');
  });
});
