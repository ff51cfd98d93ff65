import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine,
    // while most of the suite waits on servers, browsers and databases rather than the CPU.
    poolOptions: { forks: { minForks: 2, maxForks: 2 } },
  },
});
