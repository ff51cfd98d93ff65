import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function fails(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/app');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('runs with nothing set: SQLite under ./data, simulator on, no platform channel', () => {
    const config = loadConfig({}, '/app');
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: '/app/data',
      simulator: true,
      timezone: 'Asia/Ho_Chi_Minh',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.messenger).toBeUndefined();
    expect(config.viber).toBeUndefined();
    expect(config.zalo).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('turns the simulator off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR: 'on' }).simulator).toBe(true);
  });

  it('enables a channel only when its secrets are set, with defaults for the rest', () => {
    const config = loadConfig({
      MESSENGER_APP_SECRET: 'old, new',
      MESSENGER_PAGE_ACCESS_TOKEN: 't',
      MESSENGER_VERIFY_TOKEN: 'v',
    });
    expect(config.messenger).toEqual({
      appSecrets: ['old', 'new'],
      pageAccessToken: 't',
      verifyToken: 'v',
      apiUrl: 'https://graph.facebook.com',
      graphVersion: 'v25.0',
    });
    const viber = loadConfig({ VIBER_AUTH_TOKEN: 'x', VIBER_BOT_NAME: 'Học tập suốt đời' }).viber;
    expect(viber?.apiUrl).toBe('https://chatapi.viber.com');
    const zalo = loadConfig({
      ZALO_APP_ID: '1',
      ZALO_APP_SECRET: 's',
      ZALO_OA_SECRET_KEY: 'k',
      ZALO_REFRESH_TOKEN: 'r',
      ZALO_BUTTONS: 'off',
    }).zalo;
    expect(zalo).toMatchObject({
      oauthUrl: 'https://oauth.zaloapp.com',
      apiUrl: 'https://openapi.zalo.me',
      buttons: false,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'not a whole number'],
    [{ PORT: '70000' }, 'PORT', 'out of range'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'postgres:'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL', 'is not a URL'],
    [{ REDIS_KEY_PREFIX: 'llw prod' }, 'REDIS_KEY_PREFIX', '1-40 letters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'not a log level'],
    [{ BOT_TIMEZONE: 'Mars/Olympus' }, 'BOT_TIMEZONE', 'IANA'],
    [{ SIMULATOR: 'maybe' }, 'SIMULATOR', 'on/off'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN', '16 characters'],
    [{ VIBER_AUTH_TOKEN: 'x' }, 'VIBER_BOT_NAME', 'is empty'],
    [
      { VIBER_AUTH_TOKEN: 'x', VIBER_BOT_NAME: 'A name that is far longer than twenty-eight' },
      'VIBER_BOT_NAME',
      '28 characters',
    ],
    [
      { MESSENGER_APP_SECRET: 's', MESSENGER_VERIFY_TOKEN: 'v' },
      'MESSENGER_PAGE_ACCESS_TOKEN',
      'is empty',
    ],
    [
      {
        MESSENGER_APP_SECRET: 's',
        MESSENGER_VERIFY_TOKEN: 'v',
        MESSENGER_PAGE_ACCESS_TOKEN: 't',
        MESSENGER_GRAPH_VERSION: '25',
      },
      'MESSENGER_GRAPH_VERSION',
      'v25.0',
    ],
    [
      { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_SECRET_KEY: 'k' },
      'ZALO_REFRESH_TOKEN',
      'refresh token',
    ],
    [{ ZALO_APP_ID: '1' }, 'ZALO_APP_SECRET', 'are empty'],
    [
      {
        MESSENGER_APP_SECRET: 's',
        MESSENGER_VERIFY_TOKEN: 'v',
        MESSENGER_PAGE_ACCESS_TOKEN: 't',
        MESSENGER_APP_ID: 'my-app',
      },
      'MESSENGER_APP_ID',
      'numeric App ID',
    ],
    [{ AGENT_PAUSE_MINUTES: 'half an hour' }, 'AGENT_PAUSE_MINUTES', 'whole number'],
    [{ ZALO_AGENT_PAUSE_MINUTES: '99999' }, 'ZALO_AGENT_PAUSE_MINUTES', '0..10080'],
  ])('refuses %j naming the variable and the fix', (env, variable, hint) => {
    const error = fails(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(hint);
  });

  it('reads the agent pause under its channel-neutral name, the old Zalo name still accepted', () => {
    expect(loadConfig({}).agentPauseMinutes).toBe(30);
    expect(loadConfig({ ZALO_AGENT_PAUSE_MINUTES: '15' }).agentPauseMinutes).toBe(15);
    expect(loadConfig({ AGENT_PAUSE_MINUTES: '45' }).agentPauseMinutes).toBe(45);
    expect(
      loadConfig({ AGENT_PAUSE_MINUTES: '0', ZALO_AGENT_PAUSE_MINUTES: '15' }).agentPauseMinutes,
    ).toBe(0);
  });

  it('keeps MESSENGER_APP_ID when set', () => {
    const env = {
      MESSENGER_APP_SECRET: 's',
      MESSENGER_PAGE_ACCESS_TOKEN: 't',
      MESSENGER_VERIFY_TOKEN: 'v',
    };
    expect(loadConfig(env).messenger?.appId).toBeUndefined();
    expect(loadConfig({ ...env, MESSENGER_APP_ID: '1517776481860111' }).messenger?.appId).toBe(
      '1517776481860111',
    );
  });

  it('never echoes a database password in its message', () => {
    const error = fails({ DATABASE_URL: 'mysql://user:secret@host/db' });
    expect(error.message).not.toContain('secret');
  });
});
