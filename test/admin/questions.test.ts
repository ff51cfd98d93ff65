import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { maskPersonalData } from '../../src/store/questions-repo.js';
import { BACKENDS, simulate, startTestApp, type TestApp } from '../helpers/app.js';

const TOKEN = 'admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Page {
  total: number;
  limit: number;
  offset: number;
  items: Array<{
    id: number;
    text: string;
    channel: string;
    contactId: number | null;
    outcome: string;
    askedAt: string;
  }>;
}

describe.each(BACKENDS)('unanswered questions ($name)', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('keeps what the bot could not answer, masked, and lists it newest first', async () => {
    const clock = new ManualClock(Date.parse('2020-10-02T03:00:00Z'));
    t = await startTestApp({ backend, clock, env: { ADMIN_TOKEN: TOKEN } });
    const app = t.app;
    await simulate(app, { userId: 'q1', text: 'Giá vàng hôm nay bao nhiêu? gọi 0912 345 678' });
    clock.advance(60_000);
    await simulate(app, { userId: 'q2', text: 'thư viện có tài liệu số không' }); // suggestions
    clock.advance(60_000);
    await simulate(app, { userId: 'q3', text: 'chủ đề năm nay là gì' }); // answered
    await simulate(app, { userId: 'q3', text: 'vâng' }); // small talk
    await simulate(app, { userId: 'q4', text: 'email tôi là an.nguyen@example.com, ngoài lề' });

    const res = await app.inject({ url: '/api/v1/questions/unanswered', headers: auth });
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.total).toBe(3);
    expect(page.items.map((q) => q.text)).toEqual([
      'email tôi là [email], ngoài lề',
      'thư viện có tài liệu số không',
      'Giá vàng hôm nay bao nhiêu? gọi [số]',
    ]);
    expect(page.items.map((q) => q.outcome)).toEqual(['none', 'suggested', 'none']);
    const contact = await t.services.contacts.get('simulator', 'q1');
    expect(page.items[2]).toMatchObject({
      channel: 'simulator',
      contactId: contact!.id,
      askedAt: '2020-10-02T03:00:00.000Z',
    });
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      ['askedAt', 'channel', 'contactId', 'id', 'outcome', 'text'].sort(),
    );

    const second = await app.inject({
      url: '/api/v1/questions/unanswered?limit=2&offset=2',
      headers: auth,
    });
    expect(second.json<Page>()).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(second.json<Page>().items.map((q) => q.text)).toEqual([
      'Giá vàng hôm nay bao nhiêu? gọi [số]',
    ]);
  });

  it.each([
    ['limit=0', 'limit must be between 1 and 200'],
    ['limit=500', 'limit must be between 1 and 200'],
    ['limit=abc', 'limit must be a number'],
    ['offset=-1', 'offset must be 0 or more'],
    ['page=2', 'Unknown query parameter page'],
  ])('refuses ?%s with a clear 400', async (query, message) => {
    t ??= await startTestApp({ backend, env: { ADMIN_TOKEN: TOKEN } });
    const res = await t.app.inject({ url: `/api/v1/questions/unanswered?${query}`, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining(message) });
  });

  it('needs the admin token', async () => {
    t = await startTestApp({ backend, env: { ADMIN_TOKEN: TOKEN } });
    const res = await t.app.inject({ url: '/api/v1/questions/unanswered' });
    expect(res.statusCode).toBe(401);
  });
});

describe('maskPersonalData', () => {
  it.each([
    ['gọi 0912.345.678 nhé', 'gọi [số] nhé'],
    ['+84 912 345 678', '[số]'],
    ['mail: a.b@truong.edu.vn', 'mail: [email]'],
    ['ngày 01/10/2020 lúc 8 giờ', 'ngày 01/10/2020 lúc 8 giờ'],
    ['năm học 2020-2021', 'năm học 2020-2021'],
  ])('%j -> %j', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });
});
