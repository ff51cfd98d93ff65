import { afterAll } from 'vitest';
import { fuzzApp } from './fuzz-app.js';
import { describeRouteFuzz } from './route-fuzzer.js';

// Every /api/v1 route, fuzzed from its OpenAPI description; share 2 of 2 (the other file
// takes the rest, so the two test workers share the work).
const TOKEN = 'fuzz-admin-token-0123456789';
const t = await fuzzApp(TOKEN, Date.UTC(2026, 9, 1, 3));
afterAll(async () => t.close());

describeRouteFuzz(t, t.routes, TOKEN, { part: 1, of: 2 });
