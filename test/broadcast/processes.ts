import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../src/services.js';
import { adminCall } from '../helpers/admin-api.js';
import { TOKEN } from './helpers.js';

/** A server process running test/fixtures/broadcast-server.ts. */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<number | null>;
}

/** Starts a server process and resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test/fixtures/broadcast-server.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        ADMIN_TOKEN: TOKEN,
        BROADCAST_QUIET_HOURS: 'off',
        ...env,
      },
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /LISTENING (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before listening: ${stderr}`)),
    );
  });
  return { child, url: `http://127.0.0.1:${port}`, exited };
}

/** Calls a server process's admin API. */
export function call<T>(
  server: ServerProcess,
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  return adminCall<T>(server.url, TOKEN, method, url, body);
}

/** Polls until the broadcast reaches a final status. */
export async function waitDone(server: ServerProcess, id: number): Promise<{ status: string }> {
  for (;;) {
    const report = await call<{ status: string }>(server, 'GET', `/broadcasts/${id}`);
    if (report.status === 'done' || report.status === 'cancelled') return report;
    await new Promise((r) => setTimeout(r, 50));
  }
}
