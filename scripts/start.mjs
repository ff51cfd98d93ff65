// `npm start`: runs the server as compiled JavaScript, in this process. Loading TypeScript through
// a transpiling loader at every start cost seconds and a second loader's memory; instead, the
// sources under src/ and flows/ that are newer than their output in dist/ (or have none) are
// transpiled there first, in one esbuild call (no type check, as the loader did not check either:
// `npm run typecheck` does). A start with nothing changed only compares file times.
// `npm run build` (tsc, type-checked) writes the same files, as the image runs them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'flows'];
const OUT = path.join(ROOT, 'dist');

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

const stale = staleSources();
if (stale.length > 0) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write(
      `${stale.length} source file(s) are newer than dist/ and esbuild is not installed ` +
        '(an install without dev dependencies): run `npm run build` first.\n',
    );
    process.exit(1);
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

await import(pathToFileURL(path.join(OUT, 'src/main.js')).href);
