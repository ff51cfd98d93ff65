/**
 * What SQLite's `secure_delete` modes leave on disk and what they cost, on the inbox's pattern:
 * insert a webhook body, clear it after the turn (UPDATE body = NULL), delete the row later (an
 * erasure or the 48 h purge). Short bodies stay in their b-tree page; long ones (a 2,000-character
 * Vietnamese message is ~6 KB) spill to overflow pages, which go to the freelist when cleared.
 * The marker sits at both ends of each body (in the cell and on the last overflow page). Counts
 * it in the database and WAL files with and without a TRUNCATE checkpoint, and times the writes.
 * Run: npm run bench:secure-delete (BENCH_ROWS, default 2000). Nothing here fails on a number.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

const ROWS = Number(process.env.BENCH_ROWS ?? 2000);

function occurrences(file: string, marker: Buffer): number {
  if (!fs.existsSync(file)) return 0;
  const data = fs.readFileSync(file);
  let n = 0;
  for (let i = data.indexOf(marker); i !== -1; i = data.indexOf(marker, i + 1)) n++;
  return n;
}

function run(
  mode: 'OFF' | 'FAST' | 'ON',
  long: boolean,
  burst: boolean,
  checkpoint: boolean,
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-secdel-'));
  const file = path.join(dir, 'bot.sqlite');
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`secure_delete = ${mode}`);
  db.exec('create table inbox (id integer primary key, body text, status text)');
  const insert = db.prepare('insert into inbox (body, status) values (?, ?)');
  const clear = db.prepare("update inbox set body = null, status = 'done' where id = ?");
  const marker = 'SECRET0912345678';
  const padding = long ? 'Học tập suốt đời '.repeat(350) : 'xin chào ';
  const start = process.hrtime.bigint();
  // Interleaved: each body is cleared before the next arrives (a quiet hour). Burst: all arrive,
  // then all are cleared (a busy minute), so the freed pages pile up on the freelist.
  if (burst) {
    for (let i = 1; i <= ROWS; i++)
      insert.run(`{"text":"${marker} ${i} ${padding} ${marker}"}`, 'pending');
    for (let i = 1; i <= ROWS; i++) clear.run(i);
  } else {
    for (let i = 1; i <= ROWS; i++) {
      insert.run(`{"text":"${marker} ${i} ${padding} ${marker}"}`, 'pending');
      clear.run(i);
    }
  }
  const clearMs = Number(process.hrtime.bigint() - start) / 1e6;
  const delStart = process.hrtime.bigint();
  db.prepare('delete from inbox where id % 2 = 0').run();
  const deleteMs = Number(process.hrtime.bigint() - delStart) / 1e6;
  if (checkpoint) db.pragma('wal_checkpoint(TRUNCATE)');
  const m = Buffer.from(marker);
  const inDb = occurrences(file, m);
  const inWal = occurrences(`${file}-wal`, m);
  const size = fs.statSync(file).size;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return (
    `${mode.padEnd(4)} ${long ? 'long ' : 'short'} ${burst ? 'burst ' : 'one by one'} ` +
    `${checkpoint ? 'checkpoint' : 'no checkpt'}: ` +
    `insert+clear ${((clearMs * 1000) / ROWS).toFixed(1)} µs/row, delete ${deleteMs.toFixed(1)} ms; ` +
    `marker left: db ${inDb}, wal ${inWal}; db ${(size / 1024).toFixed(0)} KiB`
  );
}

console.log(`${ROWS} bodies inserted then cleared, half the rows deleted:`);
for (const long of [false, true])
  for (const burst of [false, true])
    for (const mode of ['OFF', 'FAST', 'ON'] as const)
      for (const checkpoint of [false, true]) console.log(run(mode, long, burst, checkpoint));
