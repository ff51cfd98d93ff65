import { afterEach, describe, expect, it } from 'vitest';
import { dashboardContext } from '../../src/dashboard/context.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';

describe('the one-time first sign-in of an install without ADMIN_TOKEN', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });
  const start = async (config: ReturnType<typeof testConfig>) => {
    const t = await startTestApp({ config });
    apps.push(t);
    return { t, context: await dashboardContext(t.app, t.services) };
  };

  it('is handed out once, signs in once, is replaced on the next start, and stops once an owner exists', async () => {
    const config = testConfig();
    const first = await start(config);
    const token = first.context.takeFirstSignIn()!;
    expect(token).toMatch(/^llw_first_/);
    expect(first.context.takeFirstSignIn()).toBeUndefined();
    const login = await first.t.app.inject({ url: '/admin/login' });
    expect(login.body).toContain('mã đăng nhập dùng một lần');
    // Not an API token, even while unused.
    expect(await first.context.accounts.verify(token)).toBeUndefined();
    const api = await first.t.app.inject({
      url: '/api/v1/status',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(401);
    expect(api.json<{ message: string }>().message).toContain('sign in at /admin');
    const owner = await first.context.accounts.verify(token, { firstSignIn: true });
    expect(owner).toMatchObject({ name: 'first-sign-in', role: 'owner' });
    expect(await first.context.accounts.verify(token, { firstSignIn: true })).toBeUndefined();
    const session = await first.context.accounts.openSession(owner!, 60_000);
    expect(await first.context.accounts.session(session)).toHaveProperty('actor');
    await first.t.close();
    apps.length = 0;

    // Still no owner: the next start makes a new one and ends the old one's session.
    const second = await start(config);
    const again = second.context.takeFirstSignIn()!;
    expect(again).not.toBe(token);
    expect(await second.context.accounts.session(session)).toEqual({ expired: false });
    const actor = (await second.context.accounts.verify(again, { firstSignIn: true }))!;
    const made = await second.context.accounts.createToken('Chị Lan', 'owner', actor);
    expect(made.ok).toBe(true);
    await second.t.close();
    apps.length = 0;

    // An owner exists: nothing more is printed, and the first sign-in is revoked.
    const third = await start(config);
    expect(third.context.takeFirstSignIn()).toBeUndefined();
    expect((await third.t.app.inject({ url: '/admin/login' })).body).not.toContain(
      'mã đăng nhập dùng một lần',
    );
    const tokens = await third.context.accounts.listTokens();
    expect(tokens.find((k) => k.name === 'first-sign-in')?.revokedAt).not.toBeNull();
  });

  it('is not made when ADMIN_TOKEN is set', async () => {
    const { context } = await start(testConfig({ ADMIN_TOKEN: 'owner-token-set-from-the-start' }));
    expect(context.takeFirstSignIn()).toBeUndefined();
    expect((await context.accounts.listTokens()).map((k) => k.name)).toEqual(['ADMIN_TOKEN']);
  });
});
