import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function fails(env: Record<string, string>): string {
  try {
    loadConfig(env, '/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('broadcast settings', () => {
  it('defaults: quiet 21:00-07:00, conservative shares of the platforms limits', () => {
    expect(loadConfig({}, '/app').broadcast).toEqual({
      quietHours: { startMinute: 21 * 60, endMinute: 7 * 60 },
      rates: { messenger: 150, viber: 40, zalo: 50, simulator: 100 },
    });
  });

  it('reads quiet hours with minutes, or off', () => {
    expect(
      loadConfig({ BROADCAST_QUIET_HOURS: '21:30-6:45' }, '/app').broadcast.quietHours,
    ).toEqual({ startMinute: 21 * 60 + 30, endMinute: 6 * 60 + 45 });
    expect(loadConfig({ BROADCAST_QUIET_HOURS: 'off' }, '/app').broadcast.quietHours).toBeNull();
    expect(loadConfig({ BROADCAST_RATE_ZALO: '60' }, '/app').broadcast.rates.zalo).toBe(60);
  });

  it.each([
    [
      { BROADCAST_QUIET_HOURS: '9pm-7am' },
      'BROADCAST_QUIET_HOURS: "9pm-7am" is not a quiet period; use start-end hours in BOT_TIMEZONE such as 21-7 or 21:30-6:45, or "off".',
    ],
    [{ BROADCAST_QUIET_HOURS: '25-7' }, 'BROADCAST_QUIET_HOURS: "25-7" is not a quiet period'],
    [{ BROADCAST_QUIET_HOURS: '7-7' }, 'BROADCAST_QUIET_HOURS: "7-7" is not a quiet period'],
    [
      { BROADCAST_RATE_MESSENGER: 'fast' },
      'BROADCAST_RATE_MESSENGER: "fast" is not a whole number; use e.g. 150.',
    ],
    [{ BROADCAST_RATE_VIBER: '0' }, 'BROADCAST_RATE_VIBER: 0 is out of range; use 1..10000.'],
  ])('refuses %j', (env, message) => {
    expect(fails(env)).toContain(message);
  });
});
