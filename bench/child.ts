// A bench server in its own child process, driven over IPC (stats, pause, resume, idle, close),
// so its CPU time and RSS are its own. Used by `npm run bench` and `npm run bench:bottender`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startFlags } from '../scripts/launch.mjs';
import { ROOT } from '../src/services.js';
import type { ServerAnswer, ServerRequest } from './compare-server.js';

/** A running bench server and its IPC door. */
export interface BenchServer {
  child: ChildProcess;
  call(cmd: ServerRequest['cmd']): Promise<ServerAnswer>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/**
 * Spawns `script` (relative to the repository) under tsx; resolves once it listens. The project's
 * server (bench/compare-server.ts) runs with the Node flags `npm start` uses; others with none.
 */
export async function spawnServer(
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<BenchServer> {
  const flags = script === 'bench/compare-server.ts' ? startFlags() : [];
  const child = spawn(
    process.execPath,
    [...flags, ...(options.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, script)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  children.add(child);
  const pending = new Map<number, (a: ServerAnswer) => void>();
  let ids = 0;
  child.on('message', (a: ServerAnswer) => pending.get(a.id)?.(a));
  await new Promise<void>((resolve, reject) => {
    pending.set(0, () => resolve());
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    child,
    call: (cmd) =>
      new Promise((resolve, reject) => {
        const id = (ids += 1);
        pending.set(id, (a) => (a.error ? reject(new Error(a.error)) : resolve(a)));
        child.send({ id, cmd } satisfies ServerRequest);
      }),
  };
}

/** Closes a bench server and waits for its process to end. */
export async function stopServer(server: BenchServer): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  await server.call('close');
  await exited;
  children.delete(server.child);
}
