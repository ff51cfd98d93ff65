import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { browserDescribe, launchChromium, shootFailure } from '../helpers/browser.js';
import { dashboardContext } from '../../src/dashboard/context.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';

const run = browserDescribe;
const OWNER = 'owner-token-for-the-browser-test';
/** README screenshots (committed) and failure screenshots (not committed). */
const SHOTS = path.resolve('docs/screenshots');
const FAILURES = path.resolve('test-results/dashboard');

run('the organiser dashboard in a real browser', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let approverToken: string;
  const pages: Page[] = [];

  const open = async (viewport = { width: 1280, height: 900 }) => {
    const page = await browser.newPage({ viewport });
    pages.push(page);
    return page;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(`${base}/admin`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({
      env: { ADMIN_TOKEN: OWNER, BROADCAST_APPROVAL: 'on', BROADCAST_QUIET_HOURS: 'off' },
      broadcastEngine: { pollMs: 100 },
    });
    await t.services.start();
    const now = t.services.clock.now();
    await seedContacts(
      t.services.store,
      Array.from({ length: 12 }, (_, i) => ({ channel: 'simulator' as const, userId: `s${i}` })),
      now,
    );
    const people = ['Nguyễn Thị Hương', 'Trần Văn Đức', 'Lê Hoàng Yến', 'Phạm Quốc Bảo'];
    const courses = t.services.content.courses.courses;
    for (const [i, name] of people.entries()) {
      const course = courses[0]!;
      const session = course.sessions[0]!;
      await t.services.registration.repo.register({
        courseId: course.id,
        sessionId: session.id,
        capacity: session.capacity,
        channel: 'simulator',
        userId: `s${i}`,
        fullName: name,
        phone: `+8491234567${i}`,
        province: i % 2 ? 'ha-noi' : 'nghe-an',
        audience: 'citizen',
        locale: 'vi',
        waitlist: true,
        consent: { purpose: 'registration', noticeVersion: 'test', at: now },
        now,
      });
    }
    const context = await dashboardContext(t.app, t.services);
    const owner = (await context.accounts.verify(OWNER))!;
    const created = await context.accounts.createToken('Duyệt viên', 'approver', owner);
    if (!created.ok) throw new Error('could not create the approver');
    approverToken = created.token;
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

  it('signs in (a wrong token gets a message next to the field), shows the overview and switches to English', async () => {
    const page = await open();
    await page.goto(`${base}/admin`);
    expect(page.url()).toContain('/admin/login');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await shot(page, 'login');
    await page.fill('#token', 'not-a-valid-token-at-all');
    await page.click('button[type=submit]');
    expect(await page.locator('#err-token').textContent()).toContain('Mã truy cập không đúng');
    await page.fill('#token', OWNER);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);
    expect(await page.locator('h1').textContent()).toBe('Tổng quan');
    expect(await page.locator('figure.chart').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'overview');
    await page.click('#lang');
    expect(await page.locator('h1').textContent()).toBe('Overview');
    await page.click('#lang');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'llw_admin_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
  });

  it('filters and searches registrations and exports the filtered rows', async () => {
    const page = await open();
    await signIn(page, OWNER);
    await page.goto(`${base}/admin/registrations`);
    expect(await page.locator('table.rows tbody tr').count()).toBe(4);
    await page.fill('input[name=search]', 'Hương');
    await page.click('#filter');
    await expect.poll(() => page.locator('table.rows tbody tr').count()).toBe(1);
    expect(await page.locator('table.rows tbody').textContent()).toContain('Nguyễn Thị Hương');
    await page.fill('input[name=search]', '');
    await page.selectOption('select[name=province]', 'ha-noi');
    await page.click('#filter');
    await expect.poll(() => page.locator('table.rows tbody tr').count()).toBe(2);
    await shot(page, 'registrations');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#export-csv'),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('Trần Văn Đức');
    expect(csv).not.toContain('Nguyễn Thị Hương');
    // Attendance.
    await page.locator('table.rows tbody tr').first().locator('button').click();
    await expect
      .poll(() => page.locator('table.rows tbody tr').first().textContent())
      .toContain('✓');
  });

  it('composes with a live preview, plans, is approved by a second person, sends once and shows progress', async () => {
    const sender = await open();
    await signIn(sender, OWNER);
    await sender.goto(`${base}/admin/broadcasts/new`);
    await sender.click('#plan-button');
    expect(await sender.locator('#err-text_vi').textContent()).toContain(
      'Vui lòng nhập nội dung tiếng Việt',
    );
    const long = `Lễ khai mạc Tuần lễ bắt đầu lúc 8 giờ sáng. ${'Mời anh/chị tham dự. '.repeat(110)}`;
    await sender.fill('#text_vi', long);
    await sender.selectOption('#button', 'REGISTER');
    await expect.poll(() => sender.locator('.phone.zalo .bubble').count()).toBe(2);
    expect(await sender.locator('.phone.messenger .btn').first().textContent()).toBe(
      'Đăng ký ngay',
    );
    await shot(sender, 'compose');
    // Over 2,000 characters: the preview shows the split, the server refuses it next to the field.
    await sender.click('#plan-button');
    await expect.poll(() => sender.locator('#err-text_vi').count()).toBe(1);
    await sender.fill(
      '#text_vi',
      'Lễ khai mạc Tuần lễ bắt đầu lúc 8 giờ sáng ngày 01/10. Mời anh/chị tham dự.',
    );
    await sender.click('#plan-button');
    await sender.waitForURL(/\/admin\/broadcasts\/\d+$/);
    expect(await sender.locator('#plan tr[data-channel=simulator] .free').textContent()).toBe('12');
    // The person who composed it cannot send or approve it.
    expect(await sender.locator('#approve-button').count()).toBe(0);
    expect(await sender.locator('.notice').first().textContent()).toContain('cần một người khác');
    const url = sender.url();

    const approver = await open();
    await signIn(approver, approverToken);
    await approver.goto(url);
    // A double click approves and sends once.
    await approver.locator('#approve-button').dblclick();
    await expect
      .poll(() => approver.locator('[data-count=sent]').textContent(), { timeout: 15_000 })
      .toBe('12');
    await expect
      .poll(() => approver.locator('#status').textContent(), { timeout: 15_000 })
      .toBe('Đã gửi xong');
    await shot(approver, 'broadcast');
    const deliveries = await t.services.store.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(deliveries.n)).toBe(12);
    const inbox = await fetch(`${base}/simulator/api/messages?userId=s3`).then(
      (r) => r.json() as Promise<{ replies: Array<{ text: string }> }>,
    );
    expect(inbox.replies.filter((r) => r.text.startsWith('Lễ khai mạc'))).toHaveLength(1);
  });

  it('answers an unanswered question by adding it to the FAQ, and the bot answers it the next time', async () => {
    const question = 'cho em hỏi tuần lễ này ai đứng ra tổ chức ạ';
    const ask = () =>
      fetch(`${base}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'asker', text: question }),
      }).then((r) => r.json() as Promise<{ replies: Array<{ text: string }> }>);
    const before = await ask();
    const entry = t.services.content.faq[0]!;
    const answerStart = entry.answer.vi.split('{{')[0]!.slice(0, 20);
    expect(before.replies.map((r) => r.text).join('\n')).not.toContain(answerStart);

    const page = await open();
    await signIn(page, OWNER);
    await page.goto(`${base}/admin/questions`);
    const card = page.locator('li.card', { hasText: question });
    await expect.poll(() => card.count()).toBe(1);
    await shot(page, 'questions');
    await card.locator('select[name=entry]').selectOption(entry.id);
    await card.locator('form.variant button').click();
    expect(await page.locator('.notice.ok').textContent()).toContain('Trợ lý ảo sẽ trả lời');
    expect(await page.locator('#faq-history').textContent()).toContain('ADMIN_TOKEN');
    const after = await ask();
    expect(after.replies[0]!.text).toContain(answerStart);
  });

  it('adds an event and changes the contacts from the content page, and the bot tells them at once', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: t.config.timezone }).format(
      t.services.clock.now(),
    );
    const ask = (payload: string) =>
      fetch(`${base}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'asks-content', payload }),
      })
        .then((r) => r.json() as Promise<{ replies: Array<{ text: string }> }>)
        .then((r) => r.replies.map((x) => x.text).join('\n'));
    const page = await open();
    await signIn(page, OWNER);
    await page.goto(`${base}/admin/content`);
    await page.click('#add-event');
    await page.fill('#title_vi', 'Ngày hội đọc sách gia đình');
    await page.fill('#title_en', 'Family reading day');
    await page.fill('#date', today);
    await page.fill('#time', '14:00');
    await page.fill('#endTime', '13:00');
    await page.fill('#place_vi', 'Thư viện tỉnh');
    await page.fill('#place_en', 'Provincial library');
    await page.check('input[name=audience][value=parents]');
    await page.fill('#description_vi', 'Cha mẹ và con cùng đọc sách, giao lưu với tác giả.');
    await page.fill('#description_en', 'Parents and children read together and meet an author.');
    await page.click('#save-event');
    expect(await page.locator('#err-endTime').textContent()).toBe(
      'Giờ kết thúc phải sau giờ bắt đầu.',
    );
    expect(await page.inputValue('#title_vi')).toBe('Ngày hội đọc sách gia đình');
    await shot(page, 'content-event');
    await page.fill('#endTime', '16:30');
    await page.click('#save-event');
    await page.waitForURL(/\/admin\/content\?event=/);
    expect(await page.locator('.notice.ok').textContent()).toContain('Đã lưu sự kiện');
    expect(await ask('EVENTS:TODAY')).toContain('Ngày hội đọc sách gia đình');

    await page.fill('#phone', '0238 3844 000');
    await page.fill('#email', 'tuanle@sogddt.gov.vn');
    await page.click('#contacts-form button');
    await page.waitForURL(/contacts=1/);
    expect(await page.locator('#contacts-history').textContent()).toContain('ADMIN_TOKEN');
    expect(await ask('FAQ:contact')).toContain('0238 3844 000');
    await shot(page, 'content');
  });

  it('fits a phone: no sideways scrolling on the main pages', async () => {
    const page = await open({ width: 375, height: 740 });
    await signIn(page, OWNER);
    for (const p of [
      '/admin',
      '/admin/registrations',
      '/admin/broadcasts/new',
      '/admin/questions?all=1',
      '/admin/broadcasts/1',
      '/admin/content',
      '/admin/content/events/new',
    ]) {
      await page.goto(`${base}${p}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, p).toBeLessThanOrEqual(0);
    }
    await page.goto(`${base}/admin/registrations`);
    await shot(page, 'registrations-phone');
  });
});
