import { describe, expect, it } from 'vitest';
import { localDay, localDayOf } from '../../src/registration/time.js';

describe('localDayOf', () => {
  it.each(['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'America/St_Johns', 'UTC'])(
    'gives the same day as localDay around midnight in %s',
    (zone) => {
      const dayOf = localDayOf(zone);
      const start = Date.parse('2020-10-01T00:00:00Z');
      // Every 7 minutes for three days, and the last millisecond before each quarter hour.
      for (let ms = start; ms < start + 3 * 86_400_000; ms += 420_000) {
        expect(dayOf(ms)).toBe(localDay(ms, zone));
        const edge = Math.ceil(ms / 900_000) * 900_000 - 1;
        expect(dayOf(edge)).toBe(localDay(edge, zone));
      }
    },
  );
});
