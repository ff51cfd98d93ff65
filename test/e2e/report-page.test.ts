import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type Download, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { browserDescribe, launchChromium, shootFailure } from '../helpers/browser.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { docxTable, readDocx, xlsxTable } from '../helpers/zip.js';
import { seedFeatures, seedWeek } from '../report/seed.js';

const run = browserDescribe;
const OWNER = 'owner-token-for-the-report-page-test';
/** README screenshots (committed) and failure screenshots (not committed). */
const SHOTS = path.resolve('docs/screenshots');
const FAILURES = path.resolve('test-results/report-page');

run('the report page of the dashboard in a real browser', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let viewerToken: string;
  const pages: Page[] = [];

  const open = async (viewport = { width: 1280, height: 900 }) => {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    pages.push(page);
    return page;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(`${base}/admin`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);
  };
  const download = async (page: Page, selector: string): Promise<[Download, Buffer]> => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return [file, fs.readFileSync(await file.path())];
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({ env: { ADMIN_TOKEN: OWNER } });
    // The records of a small Week of 2020 (the edition the report is for).
    await seedWeek(t.services.store, t.config.timezone);
    await seedFeatures(t.services);
    const context = await dashboardContext(t.app, t.services);
    const owner = (await context.accounts.verify(OWNER))!;
    const created = await context.accounts.createToken('Cán bộ theo dõi', 'viewer', owner);
    if (!created.ok) throw new Error('could not create the viewer');
    viewerToken = created.token;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await shootFailure(FAILURES, ctx.task.name, pages);
    }
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a wrong figure next to its field, saves the draft, takes a snapshot and downloads the Word report and the XLSX annex', async () => {
    const page = await open();
    await signIn(page, OWNER);
    await page.click('nav >> text=Báo cáo');
    await page.waitForURL(`${base}/admin/report`);
    expect(await page.locator('main > h1').textContent()).toBe(
      'Báo cáo kết quả gửi Bộ Giáo dục và Đào tạo',
    );
    expect(await page.locator('#snapshot-status').textContent()).toContain('Chưa chụp số liệu');

    // A wrong number and a wrong date are refused next to their fields; nothing is saved.
    await page.fill('#province', 'tỉnh Nghệ An');
    await page.fill('#c-publicity-banners', 'một trăm');
    await page.fill('#direction', '1234/KH-SGDĐT | 31/09/2020 | Kế hoạch tổ chức Tuần lễ');
    await page.fill('#strengths', 'Người dân hưởng ứng <b>tích cực</b>.');
    await page.click('#save-draft');
    expect(await page.locator('#err-c-publicity-banners').textContent()).toContain(
      'Vui lòng nhập số nguyên',
    );
    expect(await page.locator('#err-direction').textContent()).toContain('31/09/2020');
    expect(await page.getAttribute('#c-publicity-banners', 'aria-invalid')).toBe('true');
    // What was typed stays in the form.
    expect(await page.inputValue('#strengths')).toBe('Người dân hưởng ứng <b>tích cực</b>.');
    expect(await t.services.store.db.selectFrom('report_drafts').selectAll().execute()).toEqual([]);

    await page.fill('#c-publicity-banners', '1.250');
    await page.fill('#direction', '1234/KH-SGDĐT | 15/09/2020 | Kế hoạch tổ chức Tuần lễ');
    await page.fill('#c-funding-state', '50.000.000');
    await page.click('#save-draft');
    await page.waitForURL(`${base}/admin/report?saved=1`);
    expect(await page.locator('.notice.ok').textContent()).toContain('phiên bản 1');
    expect(await page.inputValue('#c-publicity-banners')).toBe('1250');
    expect(await page.inputValue('#direction')).toBe(
      '1234/KH-SGDĐT | 15/09/2020 | Kế hoạch tổ chức Tuần lễ',
    );

    await page.click('#snapshot-button');
    await page.waitForURL(/\/admin\/report\?snapshot=\d+$/);
    expect(await page.locator('#snapshot-status').textContent()).toContain('ảnh chụp số');
    const preview = page.locator('#report-preview');
    expect(await preview.textContent()).toContain('UBND TỈNH NGHỆ AN');
    expect(await preview.textContent()).toContain('Băng rôn: 1.250');
    // Markup typed by an organiser is shown as text.
    expect(await preview.textContent()).toContain('<b>tích cực</b>');
    expect(await preview.locator('b').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'report.png'), fullPage: false });

    const [docxFile, docx] = await download(page, '#download-docx');
    expect(docxFile.suggestedFilename()).toBe('bao-cao-tuan-le-hoc-tap-suot-doi-2020.docx');
    const doc = readDocx(docx);
    const text = doc.paragraphs.join('\n');
    expect(text).toContain('UBND TỈNH NGHỆ AN');
    expect(text).toContain('Băng rôn: 1.250');
    expect(text).toContain('1234/KH-SGDĐT – 15/09/2020 – Kế hoạch tổ chức Tuần lễ');
    expect(text).toContain('Lượt dự thi: 9');
    const byProvince = docxTable(doc.tables, 'Tỉnh, thành phố', 'Đã xác nhận');
    expect(byProvince.find((r) => r[0] === 'Nghệ An')![1]).toBe('6');
    expect(byProvince.find((r) => r[0] === 'Hà Nội')![1]).toBe('<5');

    const [xlsxFile, xlsx] = await download(page, '#download-xlsx');
    expect(xlsxFile.suggestedFilename()).toBe('bao-cao-tuan-le-hoc-tap-suot-doi-2020.xlsx');
    const reach = await xlsxTable(xlsx, 'reach-by-channel');
    expect(reach.find((r) => r[0] === 'Zalo OA')!.slice(1, 3)).toEqual([7, 7]);
    const typed = await xlsxTable(xlsx, 'typed-figures');
    expect(typed.find((r) => r[1] === 'Băng rôn')![2]).toBe(1250);
    const nominations = await xlsxTable(xlsx, 'nominations-by-province');
    expect(nominations.find((r) => r[0] === 'Nghệ An')![1]).toBe(6);

    // The printable view: a page of the rendered report.
    const [print] = await Promise.all([page.waitForEvent('popup'), page.click('#print-view')]);
    pages.push(print);
    await print.waitForLoadState('load');
    expect(await print.locator('h1').first().textContent()).toBe('I. Công tác chỉ đạo');
    await print.setViewportSize({ width: 900, height: 1270 });
    await print.screenshot({ path: path.join(SHOTS, 'report-page.png'), fullPage: false });
  });

  it('tells two organisers saving the same version apart: the second keeps what they typed', async () => {
    const first = await open();
    const second = await open();
    await signIn(first, OWNER);
    await signIn(second, OWNER);
    await first.goto(`${base}/admin/report`);
    await second.goto(`${base}/admin/report`);
    await first.fill('#c-libraries-libraries', '12');
    await first.click('#save-draft');
    await first.waitForURL(/saved=/);
    await second.fill('#c-libraries-bookshelves', '340');
    await second.click('#save-draft');
    expect(await second.locator('.notice.error').textContent()).toContain('chưa được lưu');
    expect(await second.inputValue('#c-libraries-bookshelves')).toBe('340');
    // Saving again on purpose replaces the newer version.
    await second.click('#save-draft');
    await second.waitForURL(/saved=/);
    expect(await second.inputValue('#c-libraries-bookshelves')).toBe('340');
  });

  it('lets a viewer read and download the report but not change the draft', async () => {
    const page = await open();
    await signIn(page, viewerToken);
    await page.goto(`${base}/admin/report`);
    expect(await page.locator('#save-draft').count()).toBe(0);
    expect(await page.locator('#snapshot-button').count()).toBe(0);
    expect(await page.locator('#c-publicity-banners').isDisabled()).toBe(true);
    const [, docx] = await download(page, '#download-docx');
    expect(readDocx(docx).paragraphs.join('\n')).toContain('Băng rôn: 1.250');
    // A forged form post is refused (the CSRF token is valid: the permission is what is missing).
    const csrf = await page.inputValue('#draft-form input[name=_csrf]');
    const status = await page.evaluate(
      async ([token]) =>
        (
          await fetch('/admin/report/draft', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ _csrf: token!, version: '9', strengths: 'x' }),
          })
        ).status,
      [csrf],
    );
    expect(status).toBe(403);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const page = await open();
    await signIn(page, OWNER);
    await page.goto(`${base}/admin/report`);
    const status = await page.evaluate(
      async () =>
        (
          await fetch('/admin/report/snapshot', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          })
        ).status,
    );
    expect(status).toBe(403);
  });

  it('fits a phone: no sideways scrolling on the report page', async () => {
    const page = await open({ width: 375, height: 740 });
    await signIn(page, OWNER);
    await page.goto(`${base}/admin/report`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, 'report-phone.png'), fullPage: false });
  });
});
