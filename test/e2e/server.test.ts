import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/services.js';
import { tempDir } from '../helpers/app.js';
import { startServer } from '../helpers/process.js';

async function say(url: string, userId: string, text: string) {
  const res = await fetch(`${url}/simulator/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, text }),
  });
  expect(res.status).toBe(200);
  return (
    (await res.json()) as { replies: Array<{ text: string; choices?: Array<{ payload: string }> }> }
  ).replies;
}

describe('the real server process (npm start)', () => {
  it('starts with no configuration, answers "xin chào", stops cleanly on SIGTERM and keeps data across a restart', async () => {
    const dataDir = tempDir();
    const first = await startServer({ DATA_DIR: dataDir });
    // It runs compiled JavaScript, brought up to date first: no source is newer than its output.
    const stale = ['src', 'flows'].flatMap((dir) =>
      (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => path.join(dir, f))
        .filter((f) => {
          const out = path.join(ROOT, 'dist', f.replace(/\.ts$/, '.js'));
          return (
            !fs.existsSync(out) ||
            fs.statSync(out).mtimeMs < fs.statSync(path.join(ROOT, f)).mtimeMs
          );
        }),
    );
    expect(stale).toEqual([]);
    const hello = await say(first.url, 'citizen-1', 'xin chào');
    expect(hello[0]!.text).toContain('Tuần lễ hưởng ứng học tập suốt đời');
    expect(hello[0]!.choices?.map((c) => c.payload)).toContain('ABOUT');
    await say(first.url, 'citizen-1', 'English');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServer({ DATA_DIR: dataDir });
    try {
      const menu = await say(second.url, 'citizen-1', 'menu');
      expect(menu[0]!.text).toContain('What would you like to know?');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    await expect(
      startServer({ DATA_DIR: tempDir(), DATABASE_URL: 'mysql://nope' }),
    ).rejects.toThrow(
      /Configuration error: DATABASE_URL: must start with postgres: or postgresql:/,
    );
  });
});
