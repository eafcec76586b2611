// Places for open chat sockets, per user, counted across every instance through Redis: a
// sorted set per user of "<instance>:<n>" by expiry on Redis's clock, reserved in one script
// (instances racing for the last place cannot both take it), refreshed by this instance's
// heartbeat and released on close. A dead instance's places lapse within the TTL. While
// Redis is down, only this instance's own count applies.
import type { Logger } from "./log.ts";
import { connectRedis, disconnect, luaScript, type RedisClient } from "./realtime/redis.ts";

const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;
// KEYS[1]: the user's set. ARGV: limit, member, lifetime ms. 1 when reserved, 0 when full.
const RESERVE = luaScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`);
// KEYS: users' sets; ARGV[1]: lifetime ms, then one member per key. Moves their expiry on.
const REFRESH = luaScript(`${NOW}
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + tonumber(ARGV[1]), ARGV[i + 1])
  redis.call('PEXPIRE', key, tonumber(ARGV[1]))
end
return #KEYS`);

export type SocketSlots = {
  /** Takes one of the user's places; its release, or null when all `limit` are taken. */
  reserve(userId: number, limit: number): Promise<(() => void) | null>;
  close(): Promise<void>;
};

export async function createRedisSocketSlots(
  options: { url: string; log: Logger; prefix?: string; ttlS: number },
): Promise<SocketSlots> {
  const { log } = options;
  const prefix = `${options.prefix ?? "ugochat"}:sockets`;
  const instanceId = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  const lifetimeMs = String(Math.round(options.ttlS * 900));
  const client: RedisClient = await connectRedis({ url: options.url, log, name: "sockets" });
  const held = new Map<string, number>(); // member → user, for the heartbeat
  let next = 0;
  const keyOf = (userId: number) => `${prefix}:${userId}`;

  async function refresh() {
    if (!client.isReady || held.size === 0) return;
    const entries = [...held];
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      await REFRESH(
        client,
        batch.map(([, userId]) => keyOf(userId)),
        [lifetimeMs, ...batch.map(([member]) => member)],
      ).catch((error) => log.debug("sockets.refresh_failed", { error: String(error) }));
    }
  }
  const heartbeat = setInterval(refresh, options.ttlS * 1000 / 3);

  return {
    async reserve(userId, limit) {
      const member = `${instanceId}:${++next}`;
      let taken = true; // Redis unreachable: the instance's own count (the hub's) still holds
      if (client.isReady) {
        try {
          taken =
            Number(await RESERVE(client, [keyOf(userId)], [String(limit), member, lifetimeMs])) ===
              1;
        } catch (error) {
          log.warn("sockets.counting_alone", { error: String(error) });
        }
      }
      if (!taken) return null;
      held.set(member, userId);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(member);
        if (client.isReady) client.zRem(keyOf(userId), member).catch(() => {});
      };
    },
    async close() {
      clearInterval(heartbeat);
      await disconnect(client);
    },
  };
}
