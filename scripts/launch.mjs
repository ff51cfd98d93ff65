// How the server is launched: the compiled JavaScript that `npm start` and the bench servers run,
// the Node flags `npm start` gives it, and the environment the image adds.
//
// Compiled, not loaded through a transpiling loader, which cost seconds at every start and a
// second loader's memory: the sources under src/ and flows/ that are newer than their output in
// dist/ (or have none) are transpiled there, in one esbuild call (no type check, as the loader did
// not check either: `npm run typecheck` does). With nothing changed this only compares file times.
// `npm run build` (tsc, type-checked) writes the same files, as the image runs them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(ROOT, 'dist');
const SOURCES = ['src', 'flows'];

/** Every .ts file (not .d.ts) under a folder, as absolute paths. */
function typescriptFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...typescriptFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

/** The sources whose compiled file is missing or older than they are. */
function staleSources() {
  const stale = [];
  for (const dir of SOURCES) {
    for (const source of typescriptFiles(path.join(ROOT, dir))) {
      const output = path.join(OUT, path.relative(ROOT, source)).replace(/\.ts$/, '.js');
      let builtAt = 0;
      try {
        builtAt = fs.statSync(output).mtimeMs;
      } catch {
        // not built yet
      }
      if (fs.statSync(source).mtimeMs > builtAt) stale.push(source);
    }
  }
  return stale;
}

/**
 * Brings dist/ up to date with src/ and flows/. Throws when sources changed and esbuild is not
 * installed (an install without dev dependencies), with the step that fixes it.
 */
export async function compileStale() {
  const stale = staleSources();
  if (stale.length === 0) return;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(
      `${stale.length} source file(s) are newer than dist/ and esbuild is not installed ` +
        '(an install without dev dependencies): run `npm run build` first.',
    );
  }
  const { outputFiles } = await esbuild.build({
    entryPoints: stale,
    outdir: OUT,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'error',
    write: false,
  });
  // Each file is written beside its place and renamed over it: a server starting at the same
  // moment (tests start several) reads the old file or the new one, never half of one.
  for (const file of outputFiles) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(partial, file.contents);
    fs.renameSync(partial, file.path);
  }
}

/**
 * The Node flags `npm start` runs the server with (package.json's start script), so the bench and
 * the tests that start a server do so the same way. The image's CMD carries the same flags
 * (test/ops/deploy.test.ts).
 */
export function startFlags() {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const match = /^node((?:\s+--\S+)*)\s+scripts\/start\.mjs$/.exec(scripts.start);
  if (!match)
    throw new Error(`package.json: unexpected start script ${JSON.stringify(scripts.start)}`);
  return match[1].split(/\s+/).filter(Boolean);
}

/**
 * The environment the image (Dockerfile `ENV`) adds to run the server, beyond its settings; the
 * bench's cold start of the image's command uses it too (test/ops/deploy.test.ts keeps the two
 * alike).
 */
export const IMAGE_ENV = Object.freeze({ MALLOC_ARENA_MAX: '2' });
