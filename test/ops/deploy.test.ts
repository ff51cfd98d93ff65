import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGE_ENV, startFlags } from '../../scripts/launch.mjs';
import { ROOT } from '../../src/services.js';

interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: unknown };
  stop_grace_period?: string;
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
};

describe('compose.yaml', () => {
  const { services } = compose;

  it('runs two app processes, PostgreSQL, Redis and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['app1', 'app2', 'lb', 'postgres', 'redis']);
  });

  it.each(['app1', 'app2'])('%s builds this repository and shares PostgreSQL and Redis', (name) => {
    const app = services[name]!;
    expect(app.build).toBe('.');
    expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(app.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(app.environment?.ADMIN_TOKEN).toContain('ADMIN_TOKEN');
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    // Longer than main.ts's own 25-second forced exit, so a stop is always graceful.
    expect(Number.parseInt(app.stop_grace_period ?? '0', 10)).toBeGreaterThan(25);
  });

  it('has health checks on PostgreSQL and Redis, which the apps wait for', () => {
    expect(JSON.stringify(services.postgres!.healthcheck?.test)).toContain('pg_isready');
    expect(JSON.stringify(services.redis!.healthcheck?.test)).toContain('ping');
  });

  it('puts nginx in front of both apps with the config kept in the repository', () => {
    const lb = services.lb!;
    expect(lb.image).toMatch(/^nginx:/);
    const mount = lb.volumes?.find((v) => v.includes('nginx.conf'));
    expect(mount).toBeDefined();
    const conf = read(mount!.split(':')[0]!);
    expect(conf).toMatch(/server app1:3000/);
    expect(conf).toMatch(/server app2:3000/);
    expect(conf).toContain('X-Request-Id $request_id');
    // Webhook POSTs go to the other process when one is shutting down (503).
    expect(conf).toMatch(/location \/webhooks\/[\s\S]*http_503 non_idempotent/);
  });

  it('validates with `docker compose config` where the compose plugin exists', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) return; // no compose plugin on this machine: the parse above stands
    const run = spawnSync('docker', ['compose', '-f', 'compose.yaml', 'config', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ADMIN_TOKEN: 'x'.repeat(24), POSTGRES_PASSWORD: 'p' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds in one stage and runs compiled JavaScript as a non-root user in another', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist dist/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node",( "--[^"]+",)* "dist\/src\/main\.js"\]$/m);
  });

  it('runs the server with the Node flags `npm start` uses', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile.split('STOPSIGNAL')[1] ?? '')?.[1];
    const args = JSON.parse(cmd ?? '[]') as string[];
    expect(args.slice(1, -1)).toEqual(startFlags());
    // The young generation is capped and glibc keeps two arenas: the idle-memory budget counts on
    // both (README; bench/compare.ts starts the image's command with the same environment).
    expect(startFlags()).toContain('--max-semi-space-size=4');
    expect(IMAGE_ENV).toEqual({ MALLOC_ARENA_MAX: '2' });
    const env = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile)?.[1] ?? '';
    for (const [name, value] of Object.entries(IMAGE_ENV))
      expect(env.split(/[\s\\]+/)).toContain(`${name}=${value}`);
  });

  it('runs what `npm run build` writes (dist/src/main.js)', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as { extends: string; include: string[] };
    const base = JSON.parse(read(build.extends)) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(base.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(build.include).toContain('src');
    expect(fs.existsSync(path.join(ROOT, 'src/main.ts'))).toBe(true);
  });

  it('copies the runtime folders the server reads, and nothing secret', () => {
    for (const folder of ['content', 'locales'])
      expect(dockerfile).toContain(`COPY ${folder} ${folder}`);
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.env', 'data']) expect(ignore).toContain(entry);
  });
});
