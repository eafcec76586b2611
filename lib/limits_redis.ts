// Rate limits shared by every instance through Redis: one sliding window per key, a sorted set
// of hit times on Redis's clock, checked and recorded in one script (racing instances cannot
// both take the last place). While Redis is down each instance counts alone, in memory: a
// limit then holds per instance, and nobody is locked out by an outage.
import type { Logger } from "./log.ts";
import { type Limiters, memoryLimiters } from "./limits.ts";
import { connectRedis, disconnect, luaScript, type RedisClient } from "./realtime/redis.ts";

// KEYS[1]: the key's set. ARGV: window ms, limit, a unique member. Returns 0 (recorded) or
// the seconds until the oldest hit that counts leaves the window.
const TAKE = luaScript(`
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')[2])
return math.max(1, math.ceil((oldest + window - now) / 1000))
`);

export type RedisLimiters = { limiters: Limiters; close(): Promise<void> };

export async function createRedisLimiters(
  options: { url: string; log: Logger; prefix?: string },
): Promise<RedisLimiters> {
  const { log } = options;
  const prefix = `${options.prefix ?? "ugochat"}:limits`;
  const client: RedisClient = await connectRedis({ url: options.url, log, name: "limits" });
  let hits = 0;
  const limiters: Limiters = (name, limit) => {
    const alone = memoryLimiters(name, limit); // while Redis is down
    const keyOf = (key: string) => `${prefix}:${name}:${key}`;
    const degraded = (error: unknown) => {
      log.warn("limits.counting_alone", { limiter: name, error: String(error) });
    };
    return {
      async take(key) {
        if (!client.isReady) return alone.take(key);
        try {
          const member = `${Date.now()}:${++hits}:${Math.random()}`;
          const args = [String(limit.windowMs), String(limit.limit), member];
          return Number(await TAKE(client, [keyOf(key)], args));
        } catch (error) {
          degraded(error);
          return alone.take(key);
        }
      },
      async clear(key) {
        await alone.clear(key);
        if (!client.isReady) return;
        await client.del(keyOf(key)).catch(degraded);
      },
    };
  };
  return { limiters, close: () => disconnect(client) };
}
