import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Plan } from '../src/broadcast/planner.js';
import type { BroadcastReport } from '../src/broadcast/report.js';

/** Where the CLI reads and writes (tests pass their own). */
export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Asks a yes/no question; absent: stdin when it is a terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** How often to poll while following (ms). */
  pollMs?: number;
}

const USAGE = `Usage: npm run broadcast -- [send] --vi "Nội dung" [options]
       npm run broadcast -- follow|status|cancel <id>
       npm run broadcast -- list

Send options:
  --vi TEXT            the announcement in Vietnamese (required unless --file)
  --en TEXT            the English version (English speakers get it; others get Vietnamese)
  --channels LIST      zalo,viber,messenger (default: all)
  --provinces LIST     comma-separated provinces
  --audiences LIST     comma-separated audience groups
  --topics LIST        events,courses (default: every subscriber)
  --languages LIST     vi,en
  --at TIME            ISO time to send at, e.g. 2026-10-01T08:00:00+07:00 (default: now)
  --button-payload P   a button under the message that starts a flow (payload P)
  --button-vi TITLE    the button's title (and --button-en TITLE)
  --file FILE          the whole request as JSON instead of the options above
  --yes                send without asking (for scripts)
Server:
  --url URL            admin API server (env BROADCAST_API_URL, default http://127.0.0.1:$PORT or :3000)
  --token TOKEN        admin token (env ADMIN_TOKEN)
`;

class CliError extends Error {}

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const print = (line = '') => io.out.write(`${line}\n`);
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        vi: { type: 'string' },
        en: { type: 'string' },
        channels: { type: 'string' },
        provinces: { type: 'string' },
        audiences: { type: 'string' },
        topics: { type: 'string' },
        languages: { type: 'string' },
        at: { type: 'string' },
        'button-payload': { type: 'string' },
        'button-vi': { type: 'string' },
        'button-en': { type: 'string' },
        file: { type: 'string' },
        yes: { type: 'boolean', default: false },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      print(USAGE);
      return 0;
    }
    const base = (
      values.url ??
      io.env.BROADCAST_API_URL ??
      `http://127.0.0.1:${io.env.PORT ?? '3000'}`
    ).replace(/\/+$/, '');
    const token = values.token ?? io.env.ADMIN_TOKEN;
    if (!token) throw new CliError('No admin token: pass --token or set ADMIN_TOKEN.');
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      let res: Response;
      try {
        res = await fetch(`${base}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new CliError(
          `Cannot reach ${base}: ${(error as Error).message}. Is the server running?`,
        );
      }
      const json = (await res.json().catch(() => ({}))) as { message?: string };
      if (!res.ok) throw new CliError(`${res.status}: ${json.message ?? res.statusText}`);
      return json as T;
    };

    const [command = 'send', arg] = positionals;
    const idArg = () => {
      if (!arg || !/^\d+$/.test(arg)) throw new CliError(`${command} needs a broadcast id.`);
      return Number(arg);
    };
    switch (command) {
      case 'list': {
        const { broadcasts } = await call<{ broadcasts: BroadcastReport[] }>('GET', '/broadcasts');
        for (const b of broadcasts)
          print(
            `#${b.id}  ${b.status.padEnd(9)}  ${b.scheduleAt}  sent ${b.counts.sent}/${b.counts.total}  ${b.message.vi.slice(0, 40)}`,
          );
        return 0;
      }
      case 'status': {
        const report = await call<BroadcastReport>('GET', `/broadcasts/${idArg()}`);
        print(JSON.stringify(report, null, 2));
        return 0;
      }
      case 'cancel': {
        const report = await call<BroadcastReport>('POST', `/broadcasts/${idArg()}/cancel`);
        print(`Broadcast #${report.id} is ${report.status}: ${summary(report)}.`);
        return 0;
      }
      case 'follow':
        return follow(idArg(), call, io);
      case 'send':
        break;
      default:
        throw new CliError(`Unknown command "${command}".\n${USAGE}`);
    }

    const body = values.file ? await readBody(values.file) : bodyFromOptions(values);
    const draft = await call<{ id: number; plan: Plan }>('POST', '/broadcasts', {
      ...body,
      dryRun: true,
    });
    print(formatPlan(draft.plan));
    if (draft.plan.eligible === 0) {
      await call('POST', `/broadcasts/${draft.id}/cancel`);
      print('Nobody can receive it now: nothing sent.');
      return 1;
    }
    const ask = io.confirm ?? terminalConfirm;
    const yes =
      values.yes ||
      (await ask(`Send to ${draft.plan.eligible} people (${draft.plan.billed} billed)? [y/N] `));
    if (!yes) {
      await call('POST', `/broadcasts/${draft.id}/cancel`);
      print('Not sent.');
      return 1;
    }
    const queued = await call<{ id: number; startsAt: string }>(
      'POST',
      `/broadcasts/${draft.id}/send`,
    );
    const startsIn = Date.parse(queued.startsAt) - Date.now();
    if (startsIn > 60_000) {
      print(
        `Broadcast #${queued.id} is scheduled; it starts at ${queued.startsAt} (after quiet hours if any). Follow it with: npm run broadcast -- follow ${queued.id}`,
      );
      return 0;
    }
    print(`Broadcast #${queued.id} queued.`);
    return follow(queued.id, call, io);
  } catch (error) {
    if (
      error instanceof CliError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

async function readBody(file: string): Promise<Record<string, unknown>> {
  const { readFile } = await import('node:fs/promises');
  let body: unknown;
  try {
    body = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new CliError(
      `${file}: must hold a JSON object like {"message": {"vi": "..."}, "segment": {}}.`,
    );
  return body as Record<string, unknown>;
}

function bodyFromOptions(
  values: Record<string, string | boolean | undefined>,
): Record<string, unknown> {
  const s = (k: string): string | undefined => {
    const value = values[k];
    return typeof value === 'string' ? value : undefined;
  };
  if (!s('vi')) throw new CliError(`--vi is required (or --file).\n${USAGE}`);
  const segment = Object.fromEntries(
    (['channels', 'provinces', 'audiences', 'topics', 'languages'] as const)
      .map((k) => [k, list(s(k))])
      .filter(([, v]) => v !== undefined),
  );
  return {
    message: { vi: s('vi'), ...(s('en') ? { en: s('en') } : {}) },
    segment,
    ...(s('at') ? { scheduleAt: s('at') } : {}),
    ...(s('button-payload')
      ? {
          button: {
            payload: s('button-payload'),
            title: { vi: s('button-vi') ?? '', ...(s('button-en') ? { en: s('button-en') } : {}) },
          },
        }
      : {}),
  };
}

/** The plan as a small table an organiser can read. */
export function formatPlan(plan: Plan): string {
  const lines = ['channel      free  billed  not eligible'];
  for (const [channel, p] of Object.entries(plan.byChannel)) {
    const reasons = Object.entries(p.reasons)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    lines.push(
      `${channel.padEnd(10)} ${String(p.eligibleFree).padStart(6)} ${String(p.eligibleBilled).padStart(7)} ${String(p.notEligible).padStart(13)}${reasons ? `  (${reasons})` : ''}`,
    );
  }
  lines.push(
    `Eligible: ${plan.eligible} (${plan.billed} billed); not eligible: ${plan.notEligible}; in the segment: ${plan.total}.`,
  );
  return lines.join('\n');
}

function summary(r: BroadcastReport): string {
  const c = r.counts;
  return `sent ${c.sent}, failed ${c.failed}, skipped ${c.skipped}, unknown ${c.unknown}, pending ${c.pending + c.sending} of ${c.total}`;
}

async function follow(
  id: number,
  call: <T>(method: string, path: string) => Promise<T>,
  io: CliIo,
): Promise<number> {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.err,
      format:
        '{bar} {percentage}% | {value}/{total} | sent {sent} failed {failed} skipped {skipped} unknown {unknown}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let report: BroadcastReport;
  for (;;) {
    report = await call<BroadcastReport>('GET', `/broadcasts/${id}`);
    const c = report.counts;
    const payload = { sent: c.sent, failed: c.failed, skipped: c.skipped, unknown: c.unknown };
    const done = c.sent + c.failed + c.skipped + c.unknown;
    if (!started && c.total > 0) {
      bar.start(c.total, done, payload);
      started = true;
    } else if (started) {
      bar.setTotal(c.total);
      bar.update(done, payload);
    }
    if (report.status === 'done' || report.status === 'cancelled') break;
    await new Promise((r) => setTimeout(r, io.pollMs ?? 1000));
  }
  if (started) bar.stop();
  io.out.write(`Broadcast #${id} is ${report.status}: ${summary(report)}.\n`);
  return report.status === 'done' ? 0 : 1;
}

async function terminalConfirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliError('Not a terminal: add --yes to send without asking.');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|c|co|có)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
