// The load generator of `npm run bench`: `connections` keep-alive connections, each sending its
// next request as soon as the previous one was answered, for a time or a number of requests.
import http from 'node:http';

/** One request to send. */
export interface LoadRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Every server is warmed up alike before it is measured: the same number of requests of the same
 * load (BENCH_WARM_UP, 20,000), or a minute at most. A short warm-up measures the JIT compiler as
 * much as the server, and unevenly: after 0.5 s, PostgreSQL + Redis spent 1.9 ms of CPU per turn,
 * about a fifth of it in TurboFan, against 1.1 ms once 10,000 turns had run; the project's SQLite
 * path, with more code to compile than Bottender's, reached its steady cost after about 15,000.
 */
export const WARM_UP = { seconds: 60, max: Number(process.env.BENCH_WARM_UP ?? 20_000) };

/** What a load run measured: latencies in ms, sorted. */
export interface LoadResult {
  requests: number;
  seconds: number;
  failures: number;
  latencies: number[];
}

/** Sends `make(i)` requests to 127.0.0.1:`port` until `seconds` passed or `max` were sent. */
export async function load(
  port: number,
  make: (i: number) => LoadRequest,
  options: { connections: number; seconds: number; max: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const once = (request: LoadRequest) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: request.path,
          method: 'POST',
          agent,
          headers: request.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - started);
            if (res.statusCode !== 200) failures += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failures += 1;
        resolve();
      });
      req.end(request.body);
    });
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (next < options.max && performance.now() < deadline) await once(make(next++));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, failures, latencies };
}

/** The p-th quantile (0..1) of sorted values. */
export function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}
