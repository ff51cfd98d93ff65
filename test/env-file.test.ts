import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { environmentWithEnvFile } from '../src/env-file.js';
import { ROOT } from '../src/services.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-envfile-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function folder(name: string, envText?: string): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  if (envText !== undefined) fs.writeFileSync(path.join(d, '.env'), envText);
  return d;
}

describe('.env at start-up', () => {
  it('reads .env from the working folder, with the real environment taking precedence', () => {
    const d = folder('precedence', 'PORT=4100\nHOST=127.0.0.1\n# comment\nLOG_LEVEL="warn"\n');
    const config = loadConfig(environmentWithEnvFile({ PORT: '4200' }, d), d);
    expect(config.port).toBe(4200);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('warn');
  });

  it('validates what the file says exactly like the environment', () => {
    const d = folder('short-token', 'ADMIN_TOKEN=short\n');
    expect(() => loadConfig(environmentWithEnvFile({}, d), d)).toThrow(/ADMIN_TOKEN/);
  });

  it('runs without a .env, and ENV_FILE=off ignores one', () => {
    expect(loadConfig(environmentWithEnvFile({}, folder('none')), dir).port).toBe(3000);
    const d = folder('off', 'PORT=4300\n');
    expect(loadConfig(environmentWithEnvFile({ ENV_FILE: 'off' }, d), d).port).toBe(3000);
  });

  it('names ENV_FILE when the file it names cannot be read', () => {
    const d = folder('named');
    let error: unknown;
    try {
      environmentWithEnvFile({ ENV_FILE: 'missing.env' }, d);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('ENV_FILE');
    expect(String((error as Error).message)).toContain('missing.env');
  });

  it('stops the real server on a bad value in .env, naming it', () => {
    const d = folder('server', 'ADMIN_TOKEN=too-short\n');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
      cwd: d,
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('ADMIN_TOKEN');
  });
});
