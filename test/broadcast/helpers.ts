import type { FastifyInstance } from 'fastify';
import type { BroadcastReport } from '../../src/broadcast/report.js';

/** The admin token the broadcast tests use. */
export const TOKEN = 'test-admin-token-0123456789';

/** Calls the admin API with the bearer token; returns status and JSON body. */
export async function api<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${TOKEN}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: res.statusCode, body: res.json<T>() };
}

/** Reads a broadcast's report through the API. */
export async function report(app: FastifyInstance, id: number): Promise<BroadcastReport> {
  const res = await api<BroadcastReport>(app, 'GET', `/broadcasts/${id}`);
  if (res.status !== 200) throw new Error(`GET broadcast ${id}: ${res.status}`);
  return res.body;
}
