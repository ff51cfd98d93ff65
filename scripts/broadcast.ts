// `npm run broadcast -- ...`: create, confirm and follow a broadcast through a running server's
// admin API (see scripts/broadcast-cli.ts for the options).
import { environmentWithEnvFile } from '../src/env-file.js';
import { runCli } from './broadcast-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: environmentWithEnvFile(),
});
