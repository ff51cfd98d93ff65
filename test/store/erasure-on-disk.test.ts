import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BEFORE_WEEK, contentDir, last, registerUpTo, say } from '../registration/helpers.js';

const NAME = 'Đặng Thị Bíchngọc';
const PHONE = '0933221100';
/** Every way the phone can be written down: as typed, as stored (+84...), and its digits. */
const PHONE_FORMS = [PHONE, '+84933221100', '933221100'];

/** How often each needle occurs in the raw bytes of the database and its WAL. */
function scan(t: TestApp, needles: string[]): Record<string, number> {
  const files = ['bot.sqlite', 'bot.sqlite-wal'].map((f) => path.join(t.config.dataDir, f));
  const counts: Record<string, number> = {};
  for (const needle of needles) {
    const bytes = Buffer.from(needle, 'utf8');
    let n = 0;
    for (const file of files) {
      if (!fs.existsSync(file)) continue;
      const data = fs.readFileSync(file);
      for (let i = data.indexOf(bytes); i !== -1; i = data.indexOf(bytes, i + 1)) n++;
    }
    counts[needle] = n;
  }
  return counts;
}

const none = (needles: string[]) => Object.fromEntries(needles.map((n) => [n, 0]));

async function until(check: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('erased and cleared text does not stay on disk (SQLite)', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  async function start(checkpointSeconds: string): Promise<void> {
    t = await startTestApp({
      clock: new ManualClock(BEFORE_WEEK),
      env: { CONTENT_DIR: contentDir(), SQLITE_CHECKPOINT_SECONDS: checkpointSeconds },
    });
  }

  it('"xóa dữ liệu" leaves neither the name nor the phone in the database or WAL files', async () => {
    await start('0'); // no periodic checkpoint: only the erasure's own scrub can clean up
    const replies = await registerUpTo(t, 'citizen', 'pair-0310', { name: NAME, phone: PHONE });
    expect(last(replies).text).toMatch(/PAIR|mã|code/i);
    const needles = [NAME, ...PHONE_FORMS];
    // The data did reach the disk (otherwise this test could not fail).
    expect(scan(t, [NAME])[NAME]).toBeGreaterThan(0);

    await say(t.app, 'citizen', 'xóa dữ liệu');
    expect(last(await say(t.app, 'citizen', 'có')).text).toMatch(/xóa/i);
    await until(() => Object.values(scan(t, needles)).every((n) => n === 0));
    expect(scan(t, needles)).toEqual(none(needles));
  });

  it('a phone typed as a message is gone from both files once its body is cleared and checkpointed', async () => {
    await start('0');
    const short = `Số của tôi là ${PHONE}, gọi giúp tôi nhé`;
    // A long message spills to overflow pages, which go to the freelist when the body is cleared.
    const long = `${'Tôi muốn hỏi về Tuần lễ học tập suốt đời. '.repeat(100)} ${PHONE}`;
    await say(t.app, 'talker', short);
    await say(t.app, 'talker', long);
    expect(scan(t, [PHONE])[PHONE]).toBeGreaterThan(0); // in the WAL before the checkpoint

    await t.services.store.scrub(); // what the periodic checkpoint runs
    expect(scan(t, PHONE_FORMS)).toEqual(none(PHONE_FORMS));
  });

  it('the periodic checkpoint (SQLITE_CHECKPOINT_SECONDS) empties the WAL on its own', async () => {
    await start('1');
    await say(t.app, 'talker', `Gọi tôi theo số ${PHONE} ạ`);
    await until(() => scan(t, PHONE_FORMS)[PHONE] === 0);
    expect(scan(t, PHONE_FORMS)).toEqual(none(PHONE_FORMS));
    expect(fs.statSync(path.join(t.config.dataDir, 'bot.sqlite-wal')).size).toBe(0);
  });
});
