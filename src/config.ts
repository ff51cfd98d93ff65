import path from 'node:path';

/** Thrown when a setting is missing or wrong; the message names the variable and the fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Messenger settings; present only when the channel is configured. */
export interface MessengerConfig {
  /** App secrets; several are accepted so a secret can be rotated without downtime. */
  appSecrets: string[];
  pageAccessToken: string;
  verifyToken: string;
  apiUrl: string;
  graphVersion: string;
  /** Our Meta app id: echoes carrying another app id are a human (or another tool) answering. */
  appId?: string;
}

/** Viber settings; present only when the channel is configured. */
export interface ViberConfig {
  authToken: string;
  botName: string;
  botAvatar?: string;
  apiUrl: string;
}

/** Zalo OA settings; present only when the channel is configured. */
export interface ZaloConfig {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  accessToken?: string;
  refreshToken?: string;
  apiUrl: string;
  oauthUrl: string;
  /** Render menus as `oa.query.show` buttons (on) or as numbered text (off). */
  buttons: boolean;
  siteVerification?: string;
  /** A signed event older (or newer) than this is refused as a replay (ms); null: not checked. */
  maxEventAgeMs: number | null;
  /** API path answering an anonymous chat (`anonymous_send_*`). */
  anonymousSendPath: string;
}

/** Broadcast settings (quiet hours and per-channel rate limits). */
export interface BroadcastConfig {
  /** Local times (minutes after midnight in BOT_TIMEZONE) when nothing is sent; null when off. */
  quietHours: { startMinute: number; endMinute: number } | null;
  /** Platform API requests per second per channel, shared by every process through Redis. */
  rates: { messenger: number; viber: number; zalo: number; simulator: number };
}

/** Every setting of the server, validated once at start-up and frozen. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Prefix of every Redis key (two bots, or a test run, sharing one Redis keep apart). */
  redisKeyPrefix: string;
  contentDir: string;
  /** Demonstration content ("sample": true) may run in production (a staging bot). */
  allowDemonstrationContent: boolean;
  timezone: string;
  simulator: boolean;
  adminToken?: string;
  bodyLimit: number;
  /** Days after the edition's end date (and the session's end) when registration data is purged. */
  retentionDaysAfterEdition: number;
  /** Minutes the bot stays quiet in a conversation after a human agent answered in it. */
  agentPauseMinutes: number;
  /** SQLite: seconds between checkpoints that empty the WAL of cleared text (0: after erasures only). */
  sqliteCheckpointSeconds: number;
  /** On PostgreSQL, a send claimed longer ago than this by a process that died is `unknown`. */
  outboxLeaseSeconds: number;
  messenger?: MessengerConfig;
  viber?: ViberConfig;
  zalo?: ZaloConfig;
  broadcast: BroadcastConfig;
  campaigns: CampaignLinkConfig;
  /** The organiser dashboard: a second person approves broadcasts; how long a sign-in lasts. */
  dashboard: { approval: boolean; sessionMinutes: number };
}

/** What campaign links and posters need: where each platform's chat is, and who prints them. */
export interface CampaignLinkConfig {
  /** Facebook Page username or id for `https://m.me/<page>?ref=...`. */
  messengerPage?: string;
  /** Viber bot URI for `viber://pa?chatURI=<uri>&context=...`. */
  viberUri?: string;
  /** Zalo Official Account id for `https://zalo.me/<oa id>`. */
  zaloOaId?: string;
  /** The organiser's name on posters; the controller of organiser.json when empty. */
  departmentName?: string;
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(name, `"${raw}" is not a whole number; use e.g. ${fallback}.`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `${value} is out of range; use ${min}..${max}.`);
  return value;
}

function url(
  env: Env,
  name: string,
  fallback: string | undefined,
  protocols: string[],
): string | undefined {
  const raw = str(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `"${redactUrl(raw)}" is not a URL; use e.g. ${protocols[0]}//host:port.`,
    );
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${protocols.join(' or ')} (got ${parsed.protocol}).`,
    );
  }
  return raw.replace(/\/+$/, '');
}

function redactUrl(raw: string): string {
  return raw.replace(/\/\/[^@/]*@/, '//***@');
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not on/off; use "on" or "off".`);
}

/** All-or-nothing group: returns undefined when none is set, throws naming the missing ones otherwise. */
function group(env: Env, channel: string, names: string[]): Record<string, string> | undefined {
  const values = Object.fromEntries(names.map((n) => [n, str(env, n)]));
  const set = names.filter((n) => values[n] !== undefined);
  if (set.length === 0) return undefined;
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing[0]!,
      `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty: the ${channel} channel needs all of ${names.join(', ')} (or none of them to switch it off).`,
    );
  }
  return values as Record<string, string>;
}

function messenger(env: Env): MessengerConfig | undefined {
  const g = group(env, 'Messenger', [
    'MESSENGER_APP_SECRET',
    'MESSENGER_PAGE_ACCESS_TOKEN',
    'MESSENGER_VERIFY_TOKEN',
  ]);
  if (!g) return undefined;
  const graphVersion = str(env, 'MESSENGER_GRAPH_VERSION') ?? 'v25.0';
  if (!/^v\d+\.\d+$/.test(graphVersion)) {
    throw new ConfigError(
      'MESSENGER_GRAPH_VERSION',
      `"${graphVersion}" is not a Graph API version; use e.g. v25.0.`,
    );
  }
  const appId = str(env, 'MESSENGER_APP_ID');
  if (appId !== undefined && !/^\d{1,20}$/.test(appId)) {
    throw new ConfigError(
      'MESSENGER_APP_ID',
      `"${appId}" is not a Meta app id; copy the numeric App ID from the app's dashboard, or leave it empty.`,
    );
  }
  return {
    appSecrets: g
      .MESSENGER_APP_SECRET!.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    pageAccessToken: g.MESSENGER_PAGE_ACCESS_TOKEN!,
    verifyToken: g.MESSENGER_VERIFY_TOKEN!,
    apiUrl: url(env, 'MESSENGER_API_URL', 'https://graph.facebook.com', ['https:', 'http:'])!,
    graphVersion,
    ...(appId ? { appId } : {}),
  };
}

function viber(env: Env): ViberConfig | undefined {
  const g = group(env, 'Viber', ['VIBER_AUTH_TOKEN', 'VIBER_BOT_NAME']);
  if (!g) return undefined;
  const botName = g.VIBER_BOT_NAME!;
  if ([...botName].length > 28) {
    throw new ConfigError(
      'VIBER_BOT_NAME',
      `is ${[...botName].length} characters: Viber requires a sender name of up to 28 characters.`,
    );
  }
  const botAvatar = url(env, 'VIBER_BOT_AVATAR', undefined, ['https:', 'http:']);
  return {
    authToken: g.VIBER_AUTH_TOKEN!,
    botName,
    ...(botAvatar ? { botAvatar } : {}),
    apiUrl: url(env, 'VIBER_API_URL', 'https://chatapi.viber.com', ['https:', 'http:'])!,
  };
}

function zalo(env: Env): ZaloConfig | undefined {
  const g = group(env, 'Zalo', ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY']);
  if (!g) return undefined;
  const accessToken = str(env, 'ZALO_ACCESS_TOKEN');
  const refreshToken = str(env, 'ZALO_REFRESH_TOKEN');
  if (!refreshToken) {
    throw new ConfigError(
      'ZALO_REFRESH_TOKEN',
      'is empty but the Zalo channel is on: paste the refresh token from the OA authorisation (OAuth v4) so the bot can renew its access token.',
    );
  }
  const siteVerification = str(env, 'ZALO_SITE_VERIFICATION');
  return {
    appId: g.ZALO_APP_ID!,
    appSecret: g.ZALO_APP_SECRET!,
    oaSecretKey: g.ZALO_OA_SECRET_KEY!,
    ...(accessToken ? { accessToken } : {}),
    refreshToken,
    apiUrl: url(env, 'ZALO_API_URL', 'https://openapi.zalo.me', ['https:', 'http:'])!,
    oauthUrl: url(env, 'ZALO_OAUTH_URL', 'https://oauth.zaloapp.com', ['https:', 'http:'])!,
    buttons: onOff(env, 'ZALO_BUTTONS', true),
    ...(siteVerification ? { siteVerification } : {}),
    maxEventAgeMs:
      str(env, 'ZALO_MAX_EVENT_AGE_MINUTES')?.toLowerCase() === 'off'
        ? null
        : int(env, 'ZALO_MAX_EVENT_AGE_MINUTES', 180, 1, 2880) * 60_000,
    anonymousSendPath: apiPath(env, 'ZALO_ANONYMOUS_SEND_PATH', '/v3.0/oa/message/cs'),
  };
}

function apiPath(env: Env, name: string, fallback: string): string {
  const raw = str(env, name) ?? fallback;
  if (!/^\/[A-Za-z0-9._~/-]{1,200}$/.test(raw))
    throw new ConfigError(name, `"${raw}" is not an API path; use e.g. ${fallback}.`);
  return raw;
}

function quietHours(env: Env): BroadcastConfig['quietHours'] {
  const raw = str(env, 'BROADCAST_QUIET_HOURS') ?? '21-7';
  if (['off', 'none', '0'].includes(raw.toLowerCase())) return null;
  const match = /^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$/.exec(raw);
  const minute = (h?: string, m?: string) =>
    h !== undefined && Number(h) < 24 && Number(m ?? 0) < 60
      ? Number(h) * 60 + Number(m ?? 0)
      : NaN;
  const startMinute = minute(match?.[1], match?.[2]);
  const endMinute = minute(match?.[3], match?.[4]);
  if (Number.isNaN(startMinute) || Number.isNaN(endMinute) || startMinute === endMinute) {
    throw new ConfigError(
      'BROADCAST_QUIET_HOURS',
      `"${raw}" is not a quiet period; use start-end hours in BOT_TIMEZONE such as 21-7 or 21:30-6:45, or "off".`,
    );
  }
  return { startMinute, endMinute };
}

function broadcast(env: Env): BroadcastConfig {
  // Conservative shares of each platform's documented limit (../shared/platforms/README.md).
  return {
    quietHours: quietHours(env),
    rates: {
      messenger: int(env, 'BROADCAST_RATE_MESSENGER', 150, 1, 10_000),
      viber: int(env, 'BROADCAST_RATE_VIBER', 40, 1, 10_000),
      zalo: int(env, 'BROADCAST_RATE_ZALO', 50, 1, 10_000),
      simulator: int(env, 'BROADCAST_RATE_SIMULATOR', 100, 1, 100_000),
    },
  };
}

function pattern(env: Env, name: string, re: RegExp, hint: string): string | undefined {
  const value = str(env, name);
  if (value !== undefined && !re.test(value)) throw new ConfigError(name, `"${value}" ${hint}`);
  return value;
}

function campaigns(env: Env): CampaignLinkConfig {
  const messengerPage = pattern(
    env,
    'CAMPAIGN_MESSENGER_PAGE',
    /^[A-Za-z0-9.]{1,100}$/,
    'is not a Page username or id: use what follows facebook.com/ in the Page address.',
  );
  const viberUri = pattern(
    env,
    'CAMPAIGN_VIBER_URI',
    /^[A-Za-z0-9._-]{1,100}$/,
    'is not a Viber bot URI: use the URI from the Viber Admin Panel (letters and digits).',
  );
  const zaloOaId = pattern(
    env,
    'CAMPAIGN_ZALO_OA_ID',
    /^\d{5,25}$/,
    'is not a Zalo OA id: use the digits shown on the OA page (oa.zalo.me).',
  );
  const departmentName = pattern(
    env,
    'DEPARTMENT_NAME',
    /^[^<>\p{Cc}]{1,120}$/u,
    'is not a name of up to 120 characters (no < or >).',
  );
  return {
    ...(messengerPage ? { messengerPage } : {}),
    ...(viberUri ? { viberUri } : {}),
    ...(zaloOaId ? { zaloOaId } : {}),
    ...(departmentName ? { departmentName: departmentName.normalize('NFC') } : {}),
  };
}

/** Reads and validates every setting once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Readonly<Config> {
  const nodeEnv = str(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `"${nodeEnv}" is not one of development, production, test.`);
  }
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `"${logLevel}" is not a log level; use info, warn, error or debug.`,
    );
  }
  const timezone = str(env, 'BOT_TIMEZONE') ?? 'Asia/Ho_Chi_Minh';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new ConfigError(
      'BOT_TIMEZONE',
      `"${timezone}" is not an IANA time zone; use Asia/Ho_Chi_Minh.`,
    );
  }
  const databaseUrl = url(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', undefined, ['redis:', 'rediss:']);
  const redisKeyPrefix = str(env, 'REDIS_KEY_PREFIX') ?? 'llw';
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(redisKeyPrefix))
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      'must be 1-40 letters, digits, "_", "." or "-" (for example llw-province).',
    );
  const adminToken = str(env, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError(
      'ADMIN_TOKEN',
      'is shorter than 16 characters: use a long random value (e.g. `openssl rand -hex 24`).',
    );
  }
  const messengerConfig = messenger(env);
  const viberConfig = viber(env);
  const zaloConfig = zalo(env);
  const config: Config = {
    env: nodeEnv as Config['env'],
    port: int(env, 'PORT', 3000, 0, 65535),
    host: str(env, 'HOST') ?? '0.0.0.0',
    logLevel,
    dataDir: path.resolve(cwd, str(env, 'DATA_DIR') ?? './data'),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    redisKeyPrefix,
    contentDir: path.resolve(cwd, str(env, 'CONTENT_DIR') ?? './content'),
    allowDemonstrationContent: onOff(env, 'ALLOW_DEMONSTRATION_CONTENT', false),
    timezone,
    simulator: onOff(env, 'SIMULATOR', nodeEnv !== 'production'),
    ...(adminToken ? { adminToken } : {}),
    bodyLimit: int(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
    retentionDaysAfterEdition: int(env, 'RETENTION_DAYS_AFTER_EDITION', 90, 1, 3650),
    // ZALO_AGENT_PAUSE_MINUTES is the setting's old name (Zalo had agents first); still read.
    outboxLeaseSeconds: int(env, 'OUTBOX_LEASE_SECONDS', 300, 5, 24 * 3600),
    agentPauseMinutes:
      str(env, 'AGENT_PAUSE_MINUTES') !== undefined
        ? int(env, 'AGENT_PAUSE_MINUTES', 30, 0, 7 * 24 * 60)
        : int(env, 'ZALO_AGENT_PAUSE_MINUTES', 30, 0, 7 * 24 * 60),
    sqliteCheckpointSeconds: int(env, 'SQLITE_CHECKPOINT_SECONDS', 60, 0, 3600),
    ...(messengerConfig ? { messenger: messengerConfig } : {}),
    ...(viberConfig ? { viber: viberConfig } : {}),
    ...(zaloConfig ? { zalo: zaloConfig } : {}),
    broadcast: broadcast(env),
    campaigns: campaigns(env),
    dashboard: {
      approval: onOff(env, 'BROADCAST_APPROVAL', false),
      sessionMinutes: int(env, 'ADMIN_SESSION_MINUTES', 480, 5, 7 * 24 * 60),
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
