import { type Browser } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { browserDescribe, launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/app.js';
import { startServer, type ServerProcess } from '../helpers/process.js';

const run = browserDescribe;

run(
  'a fresh install started with `npm start` alone, in a real browser',
  { timeout: 90_000 },
  () => {
    let server: ServerProcess | undefined;
    let browser: Browser | undefined;
    afterAll(async () => {
      await browser?.close();
      if (server) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    });

    it('prints a one-time sign-in once; the organiser signs in with it and opens every main page', async () => {
      // No settings at all: only an empty data folder, as a fresh clone has.
      server = await startServer({ DATA_DIR: tempDir() });
      await expect.poll(() => /one-time token: (\S+)/.exec(server!.output())?.[1]).toBeTruthy();
      const output = server.output();
      const token = /one-time token: (\S+)/.exec(output)![1]!;
      expect(output).toContain(`${server.url.replace('127.0.0.1', 'localhost')}/admin/login`);
      expect(output.split(token)).toHaveLength(2);
      // The token opens the dashboard, never the admin API.
      const api = await fetch(`${server.url}/api/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(api.status).toBe(401);

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${server.url}/admin`);
      expect(page.url()).toContain('/admin/login');
      expect(await page.locator('.notice').first().textContent()).toContain(
        'mã đăng nhập dùng một lần',
      );
      await page.fill('#token', token);
      await page.click('button[type=submit]');
      await page.waitForURL(`${server.url}/admin`);
      for (const [path, heading] of [
        ['/admin', 'Tổng quan'],
        ['/admin/registrations', 'Danh sách đăng ký'],
        ['/admin/broadcasts', 'Thông báo'],
        ['/admin/questions', 'Câu hỏi chưa trả lời được'],
        ['/admin/content', 'Nội dung của kỳ hiện tại'],
        ['/admin/tokens', 'Tài khoản quản trị (mã truy cập)'],
      ] as const) {
        const res = await page.goto(`${server.url}${path}`);
        expect(res?.status(), path).toBe(200);
        expect(await page.locator('h1').textContent(), path).toBe(heading);
      }
      // Used once: a second browser cannot sign in with it.
      const other = await browser.newPage();
      await other.goto(`${server.url}/admin/login`);
      await other.fill('#token', token);
      await other.click('button[type=submit]');
      expect(await other.locator('#err-token').textContent()).toContain('Mã truy cập không đúng');
    });
  },
);
