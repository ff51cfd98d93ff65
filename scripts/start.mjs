// `npm start`: runs the server as compiled JavaScript, in this process, after bringing dist/ up to
// date with the sources (scripts/launch.mjs).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUT, compileStale } from './launch.mjs';

try {
  await compileStale();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import(pathToFileURL(path.join(OUT, 'src/main.js')).href);
