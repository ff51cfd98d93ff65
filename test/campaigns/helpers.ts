import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startPlatform, type Platform, type PlatformId } from '../helpers/platforms.js';
import { BEFORE_WEEK } from '../registration/helpers.js';

/** The admin token of campaign tests. */
export const TOKEN = 'campaign-admin-token-0123456789';

/** Link settings of every platform (what an organiser copies from each platform's console). */
export const LINK_ENV = {
  CAMPAIGN_MESSENGER_PAGE: 'SoGDDTNgheAn',
  CAMPAIGN_VIBER_URI: 'hoctapsuotdoi',
  CAMPAIGN_ZALO_OA_ID: '4024926008133882615',
  DEPARTMENT_NAME: 'Sở Giáo dục và Đào tạo Nghệ An',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes
type Json = any;

/** A listening app with one platform (or none) on, and its fake API. */
export interface CampaignWorld {
  t: TestApp;
  base: string;
  clock: ManualClock;
  platform: Platform | undefined;
  /** Calls the admin API; resolves with status and parsed body (JSON or raw bytes). */
  api(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; res: Response }>;
  close(): Promise<void>;
}

/** Starts the app with campaign link settings and the given platforms' channels on. */
export async function startWorld(
  platforms: PlatformId[],
  env: Record<string, string> = {},
): Promise<CampaignWorld & { platforms: Platform[] }> {
  const clock = new ManualClock(BEFORE_WEEK);
  const started = await Promise.all(platforms.map((p) => startPlatform(p)));
  const platformEnv = Object.assign({}, ...started.map((p) => p.env)) as Record<string, string>;
  const t = await startTestApp({
    clock,
    env: { ...platformEnv, ...LINK_ENV, ADMIN_TOKEN: TOKEN, ...env },
  });
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    t,
    base,
    clock,
    platform: started[0],
    platforms: started,
    async api(method, url, body) {
      const res = await fetch(`${base}/api/v1${url}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const type = res.headers.get('content-type') ?? '';
      const json = type.includes('json') ? await res.clone().json() : undefined;
      return { status: res.status, json, res };
    },
    async close() {
      await t.close();
      for (const p of started) await p.close();
    },
  };
}

/** A campaign body an organiser would send. */
export function campaignBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Băng rôn cổng Trường THPT Huỳnh Thúc Kháng',
    kind: 'banner',
    place: 'Cổng trường THPT Huỳnh Thúc Kháng, TP Vinh',
    province: 'Nghệ An',
    ref: 'thpt-htk-bang-ron',
    flow: 'faq:dates',
    ...overrides,
  };
}
