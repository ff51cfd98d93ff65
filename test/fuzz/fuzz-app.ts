import { ManualClock } from '../../src/core/clock.js';
import { apiRouteCollector, type RegisteredRoute } from '../helpers/api-routes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedContacts } from '../helpers/contacts.js';
import { FakeChannel } from '../helpers/fake-channel.js';

/**
 * The app the fuzz files share the shape of (SQLite, a Zalo fake, an owner token, two contacts),
 * with the /api/v1 routes it registered.
 */
export async function fuzzApp(
  token: string,
  start: number,
): Promise<TestApp & { routes: RegisteredRoute[] }> {
  const collected = apiRouteCollector();
  const t = await startTestApp({
    clock: new ManualClock(start),
    channels: [new FakeChannel('zalo')],
    env: { ADMIN_TOKEN: token },
    onRoute: collected.hook,
  });
  await seedContacts(
    t.services.store,
    [
      { channel: 'zalo', userId: 'z1' },
      { channel: 'zalo', userId: 'z2', optedIn: false },
    ],
    start,
  );
  return Object.assign(t, { routes: collected.routes });
}
