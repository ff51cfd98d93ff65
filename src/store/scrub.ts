import fs from 'node:fs';
import type { Database as SqliteDatabase } from 'better-sqlite3';

/** How soon after an erasure the write-ahead log is folded into the database and emptied. */
const SOON_MS = 1_000;

/**
 * Keeps erased and cleared text off the disk on SQLite. With `secure_delete = ON` SQLite zeroes
 * deleted content in the database file, including pages it puts on the freelist (FAST leaves
 * those: the overflow pages of a long message; see bench/secure-delete.ts). What remains are the
 * older page images in the WAL file until a checkpoint: `scrub()` runs a TRUNCATE checkpoint,
 * which copies the zeroed pages into the database and empties the WAL. Erasures and the retention
 * purge call it (through `scrubSoon`, which also covers the dialog state a turn forgets after
 * the erasure); a timer runs it every `intervalMs` while the WAL holds anything, so a message
 * body cleared after its turn leaves the disk within that interval.
 */
export class SqliteScrubber {
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly walFile: string | undefined,
    intervalMs: number,
  ) {
    if (walFile && intervalMs > 0) {
      this.timer = setInterval(() => {
        if (this.walHasFrames()) this.scrub();
      }, intervalMs);
      this.timer.unref();
    }
  }

  /** Checkpoints everything and truncates the WAL; true when the log is empty afterwards. */
  scrub(): boolean {
    if (!this.database.open) return false;
    const [row] = this.database.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    // busy = 1: another connection held a read snapshot; try again shortly.
    if (row && row.busy !== 0) {
      this.scrubSoon();
      return false;
    }
    return true;
  }

  /** Scrubs once, a moment from now (several calls in that moment share one checkpoint). */
  scrubSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.scrub();
    }, SOON_MS);
    this.soon.unref();
  }

  /** Stops the timers and leaves an empty WAL behind. */
  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.timer = this.soon = undefined;
    this.scrub();
  }

  private walHasFrames(): boolean {
    try {
      return this.walFile !== undefined && fs.statSync(this.walFile).size > 0;
    } catch {
      return false;
    }
  }
}
