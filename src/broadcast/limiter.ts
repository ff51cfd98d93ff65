import type { ChannelId } from '../core/events.js';
import type { RedisClient } from '../coord/redis-coordinator.js';

/** What a request for send permits got: how many, or how long to wait for the next one. */
export interface Grant {
  granted: number;
  waitMs: number;
  /** True when the channel is paused (a 429, a bad token) rather than just out of permits. */
  paused: boolean;
}

/**
 * Per-channel rate limit of platform requests (a token bucket), plus a pause a platform's
 * "slow down" answer puts on the whole channel. Shared by every process when it lives in Redis.
 */
export interface RateLimiter {
  /** Takes up to `want` permits for a channel now; `granted` 0 comes with how long to wait. */
  take(channel: ChannelId, want: number, now: number): Promise<Grant>;
  /** Stops the channel until `until` (epoch ms of the app clock), e.g. after a 429. */
  pause(channel: ChannelId, until: number): Promise<void>;
}

/** A bucket holds a fifth of a second's worth: bursts stay small, claims stay frequent. */
export function bucketSize(rate: number): number {
  return Math.max(1, Math.ceil(rate / 5));
}

/** Token buckets in this process (enough for one process on SQLite). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<ChannelId, { tokens: number; at: number }>();
  private readonly pausedUntil = new Map<ChannelId, number>();

  constructor(
    private readonly rates: Readonly<Record<ChannelId, number>>,
    // Refill follows real time even when tests drive the app clock by hand.
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  async take(channel: ChannelId, want: number, now: number): Promise<Grant> {
    const paused = this.pausedUntil.get(channel) ?? 0;
    if (paused > now) return { granted: 0, waitMs: paused - now, paused: true };
    const rate = this.rates[channel];
    const size = bucketSize(rate);
    const t = this.monotonic();
    const bucket = this.buckets.get(channel) ?? { tokens: size, at: t };
    bucket.tokens = Math.min(size, bucket.tokens + ((t - bucket.at) * rate) / 1000);
    bucket.at = t;
    const granted = Math.min(want, Math.floor(bucket.tokens));
    bucket.tokens -= granted;
    this.buckets.set(channel, bucket);
    return {
      granted,
      waitMs: granted > 0 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / rate),
      paused: false,
    };
  }

  async pause(channel: ChannelId, until: number): Promise<void> {
    this.pausedUntil.set(channel, Math.max(until, this.pausedUntil.get(channel) ?? 0));
  }
}

// KEYS: bucket hash, pause key. ARGV: rate per second, bucket size, wanted permits, app time.
// The bucket refills on Redis' own clock, so processes with skewed clocks share it fairly.
const TAKE = `
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > tonumber(ARGV[4]) then return {0, paused - tonumber(ARGV[4]), 1} end
local rate = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or size
local at = tonumber(b[2]) or now
tokens = math.min(size, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
if granted > 0 then return {granted, 0, 0} end
return {0, math.ceil((1 - tokens) * 1000 / rate), 0}
`;

const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
`;

/** Token buckets in Redis: every process of a deployment shares each channel's limit. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: RedisClient,
    private readonly rates: Readonly<Record<ChannelId, number>>,
    private readonly key: (name: string) => string,
  ) {}

  async take(channel: ChannelId, want: number, now: number): Promise<Grant> {
    const rate = this.rates[channel];
    const reply = (await this.client.eval(TAKE, {
      keys: [this.key(`broadcast:${channel}`), this.key(`broadcast:${channel}:pause`)],
      arguments: [String(rate), String(bucketSize(rate)), String(want), String(now)],
    })) as [number, number, number];
    return { granted: Number(reply[0]), waitMs: Number(reply[1]), paused: Number(reply[2]) === 1 };
  }

  async pause(channel: ChannelId, until: number): Promise<void> {
    // The key outlives the pause by a margin; its value (app time) is what counts.
    const ttl = Math.max(1000, until - Date.now() + 60_000);
    await this.client.eval(PAUSE, {
      keys: [this.key(`broadcast:${channel}:pause`)],
      arguments: [String(until), String(Math.min(ttl, 24 * 3600_000))],
    });
  }
}
