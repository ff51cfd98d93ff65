import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config.js';

type Env = Record<string, string | undefined>;

/**
 * The settings the server starts with: `.env` in `cwd` (when present) under the real environment.
 * A variable set in the environment always wins over the same variable in the file, so a
 * deployment can override one value without editing the file; `ENV_FILE` names another file
 * (`ENV_FILE=off` reads none). The result goes through the same `loadConfig` validation.
 */
export function environmentWithEnvFile(env: Env = process.env, cwd = process.cwd()): Env {
  const named = env.ENV_FILE?.trim();
  if (named === 'off') return { ...env };
  const file = path.resolve(cwd, named || '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !named) return { ...env };
    throw new ConfigError(
      'ENV_FILE',
      `${file} cannot be read (${code ?? 'error'}): fix the path or unset ENV_FILE.`,
    );
  }
  const fromFile = parseEnv(text);
  const merged: Env = { ...fromFile };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
