// The Bottender side of `npm run bench:bottender` (bench/bottender.ts), in its own process: a
// Bottender 1.5.5 app served the way `bottender start` serves it (express, body-parser keeping
// the raw body, Bottender's Server), run from the bot folder the parent wrote (bottender.config.js
// and index.js, which answers every text with one text; BOTTENDER_BOT). Bottender is loaded from
// BOTTENDER_DIR,
// outside the repository. Answers the parent over IPC like bench/compare-server.ts.
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerAnswer, ServerRequest } from './compare-server.js';

interface BottenderServer {
  prepare(): Promise<void>;
  getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
}

const dir = process.env.BOTTENDER_DIR ?? '';
// Bottender reads bottender.config.js and index.js from the working folder.
process.chdir(process.env.BOTTENDER_BOT ?? dir);
const port = Number(process.env.BENCH_PORT ?? 3212);
const requireFromCache = createRequire(path.join(dir, 'package.json'));
// Bottender's own dependencies, as its CLI loads them.
const bottenderPath = requireFromCache.resolve('bottender');
const requireFromBottender = createRequire(bottenderPath);
const bottender = requireFromCache('bottender').bottender as (o: {
  dev: boolean;
}) => BottenderServer;
const express = requireFromBottender('express');
const bodyParser = requireFromBottender('body-parser');

// As `bottender start` (dist/cli/providers/sh/start.js) does, without the dev server.
const app = bottender({ dev: false });
const handle = app.getRequestHandler();
await app.prepare();
const server = express();
const verify = (req: { rawBody?: string }, _res: unknown, buf: Buffer) => {
  req.rawBody = buf.toString();
};
server.use(bodyParser.json({ verify }));
server.use(bodyParser.urlencoded({ extended: false, verify }));
server.all('*', (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res));
const listening: http.Server = await new Promise((resolve) => {
  const s: http.Server = server.listen(port, '127.0.0.1', () => resolve(s));
});

process.on('message', (raw: ServerRequest) => {
  const answer: ServerAnswer = { id: raw.id };
  if (raw.cmd === 'stats') {
    const cpu = process.cpuUsage();
    answer.cpuMicros = cpu.user + cpu.system;
    answer.rss = process.memoryUsage.rss();
  }
  if (raw.cmd !== 'close') {
    process.send?.(answer);
    return;
  }
  listening.closeAllConnections();
  listening.close(() => {
    process.send?.(answer);
    process.disconnect();
  });
});
process.send?.({ id: 0 });
