import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium, when installed (never a downloaded browser). */
export const CHROMIUM_PATH: string | undefined = (() => {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/**
 * `describe` for browser tests: CI installs chromium and must never skip them; a developer
 * machine without it skips them, and `launchChromium` says why when CI lacks it.
 */
export const browserDescribe =
  CHROMIUM_PATH !== undefined || process.env.CI === 'true' ? describe : describe.skip;

/** Launches chromium with the flags this machine needs. */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_PATH)
    throw new Error('chromium is not installed: apt-get install chromium (bash .ci/run does it)');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
    ],
  });
}

/** Saves a full-page screenshot of each open page of a failed test into `dir`. */
export async function shootFailure(dir: string, testName: string, pages: Page[]): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const [i, page] of pages.entries())
    await page
      .screenshot({
        path: path.join(dir, `${testName.replace(/\W+/g, '-')}-${i}.png`),
        fullPage: true,
      })
      .catch(() => undefined);
}
