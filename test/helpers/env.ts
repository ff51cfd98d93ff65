/** PostgreSQL and Redis the tests use (started by .ci/run; override with TEST_DATABASE_URL / TEST_REDIS_URL). */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let counter = 0;
/** A name unique to this test run (schemas, key prefixes, temp folders). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
