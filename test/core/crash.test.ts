import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/services.js';
import { startTestApp, tempDir, testConfig } from '../helpers/app.js';

describe('a process killed after the ack and before the turn ran', () => {
  it('runs the turn on restart, and the user gets the answer', async () => {
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'test/fixtures/ack-then-hang.ts'),
        dataDir,
        'crash-user',
        'xin chào',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ACKED')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const t = await startTestApp({ config: testConfig({ DATA_DIR: dataDir }) });
    try {
      await t.services.start(60_000);
      await t.services.inbox.idle();
      const replies = t.services.simulator!.take('crash-user');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toContain('Chuyển đổi số thúc đẩy Học tập suốt đời');
      expect(await t.services.inboxRepo.counts()).toEqual({ done: 1 });
    } finally {
      await t.close();
    }
  });
});
