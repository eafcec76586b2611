// Presence shared by every process through Redis. Each process that holds a user keeps one
// entry for them, (user, process) → expiry, refreshed by its heartbeat; a user is online while
// some entry is live. A process that dies stops refreshing, its entries expire, and a sweeper
// (every process runs one) claims each expired entry atomically and reports a user whose last
// entry it was, once. The verbs are Lua scripts, so two processes racing cannot both announce
// (or both miss) a user coming online or going offline. Times are Redis's clock (TIME), which
// every process shares.
//
// Keys: `<prefix>:presence:user:<id>` sorted set of process id by expiry (ms), and
// `<prefix>:presence:expiry` sorted set of "<id>:<process>" by expiry, which sweepers walk.
import type { Logger } from "../log.ts";
import type { PresenceStore } from "./presence.ts";
import { connectRedis, disconnect, luaScript, type RedisClient } from "./redis.ts";

export type RedisPresenceOptions = {
  url: string;
  log: Logger;
  /** A dead process's users are reported offline within this (PRESENCE_TTL_S). */
  ttlS: number;
  /** Names the deployment in a shared Redis, as for the broker; "ugochat" unless told. */
  prefix?: string;
  /**
   * On close, this process's entries are re-dated to lapse this long after (the reload grace,
   * PRESENCE_GRACE_MS): a user whose page reconnects to another process meanwhile never looks
   * offline, and one who does not is reported by a sweeper then, not a whole TTL later.
   * Unset: they lapse as after the last heartbeat.
   */
  handoffMs?: number;
};

export type RedisPresence = PresenceStore & {
  onExpired(listener: (userId: number) => void): () => void;
  readonly instanceId: string;
  /** Whether its connection is up now (for /healthz). */
  ready(): boolean;
  /** Refreshes this process's entries now (the heartbeat does it every ttl / 3). */
  refresh(): Promise<void>;
  /** Claims expired entries now (the sweeper does it every ttl / 10); returns who went offline. */
  sweep(): Promise<number[]>;
};

/** How many users one heartbeat script refreshes, so that Redis is never blocked for long. */
const REFRESH_BATCH = 1000;
/** How many expired entries one sweep claims at most. */
const SWEEP_BATCH = 500;

const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;
// Drops the user's expired entries from both sets, so no sweeper reports them later.
// Every script that purges has the expiry set as KEYS[1].
const PURGE = `local function purge(ukey, uid)
  for _, p in ipairs(redis.call('ZRANGEBYSCORE', ukey, '-inf', now)) do
    redis.call('ZREM', KEYS[1], uid .. ':' .. p)
  end
  redis.call('ZREMRANGEBYSCORE', ukey, '-inf', now)
end`;

// KEYS: expiry set, user key. ARGV: user id, process id, lifetime ms. 1 when nobody held them.
const hold = luaScript(`${NOW} ${PURGE}
purge(KEYS[2], ARGV[1])
local before = redis.call('ZCARD', KEYS[2])
local at = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], at, ARGV[2])
redis.call('ZADD', KEYS[1], at, ARGV[1] .. ':' .. ARGV[2])
return before == 0 and 1 or 0`);

// KEYS: expiry set, user key. ARGV: user id, process id. 1 when this process's entry (live or
// not yet claimed) was the last one: a claimed entry was reported by a sweeper already.
const release = luaScript(`${NOW} ${PURGE}
local mine = redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1] .. ':' .. ARGV[2])
purge(KEYS[2], ARGV[1])
return (mine == 1 and redis.call('ZCARD', KEYS[2]) == 0) and 1 or 0`);

// KEYS: the user keys. ARGV: their ids. Returns the ids with a live entry.
const onlineAmong = luaScript(`${NOW}
local on = {}
for i, key in ipairs(KEYS) do
  if redis.call('ZCOUNT', key, '(' .. now, '+inf') > 0 then table.insert(on, ARGV[i]) end
end
return on`);

// KEYS: expiry set. ARGV: prefix, process id, lifetime ms, user ids... (The user keys are
// built here, so this needs one Redis, not a Cluster.)
const refresh = luaScript(`${NOW}
local at = now + tonumber(ARGV[3])
for i = 4, #ARGV do
  redis.call('ZADD', ARGV[1] .. ':user:' .. ARGV[i], at, ARGV[2])
  redis.call('ZADD', KEYS[1], at, ARGV[i] .. ':' .. ARGV[2])
end
return 0`);

// KEYS: expiry set. ARGV: prefix, batch. Returns the ids whose last entry it claimed.
const sweep = luaScript(`${NOW} ${PURGE}
local offline = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[2])) do
  if redis.call('ZREM', KEYS[1], m) == 1 then
    local sep = string.find(m, ':', 1, true)
    local uid = string.sub(m, 1, sep - 1)
    local ukey = ARGV[1] .. ':user:' .. uid
    redis.call('ZREM', ukey, string.sub(m, sep + 1))
    purge(ukey, uid)
    if redis.call('ZCARD', ukey) == 0 then table.insert(offline, uid) end
  end
end
return offline`);

export async function createRedisPresence(options: RedisPresenceOptions): Promise<RedisPresence> {
  const { url, log } = options;
  const prefix = `${options.prefix ?? "ugochat"}:presence`;
  const instanceId = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  const ttlMs = options.ttlS * 1000;
  // An entry outlives two missed heartbeats (every ttl / 3), and with a sweep every ttl / 10
  // a dead process's users are reported within the TTL of its last heartbeat.
  const lifetimeMs = String(Math.round(ttlMs * 0.9));
  const heartbeatMs = ttlMs / 3;
  const expiry = `${prefix}:expiry`;
  const userKey = (userId: number) => `${prefix}:user:${userId}`;
  const heldHere = new Set<number>(); // refreshed by the heartbeat, even through an outage
  const expiredListeners = new Set<(userId: number) => void>();
  // After an outage, the other processes get one heartbeat to rewrite their entries before
  // this one sweeps: entries that lapsed meanwhile are not people who left.
  let sweepAfter = 0;

  const client: RedisClient = await connectRedis({
    url,
    log,
    name: `presence:${instanceId}`,
    onReconnected() {
      sweepAfter = Date.now() + heartbeatMs;
      presence.refresh();
    },
  });

  let refreshing = false;
  let sweeping = false;
  const presence: RedisPresence = {
    instanceId,
    async hold(userId) {
      heldHere.add(userId);
      const keys = [expiry, userKey(userId)];
      const args = [String(userId), instanceId, lifetimeMs];
      // Unreachable: announce. Announcing someone already online twice is harmless, and the
      // heartbeat writes the entry once Redis is back.
      return await hold(client, keys, args).then((n) => n === 1, () => true);
    },
    async release(userId) {
      heldHere.delete(userId);
      const keys = [expiry, userKey(userId)];
      // Unreachable: the entry stays until it expires, and a sweeper reports the user then.
      return await release(client, keys, [String(userId), instanceId]).then(
        (n) => n === 1,
        () => false,
      );
    },
    async onlineAmong(userIds) {
      if (userIds.length === 0) return new Set();
      const ids = userIds.map(String);
      const on = await onlineAmong(client, userIds.map(userKey), ids).then(
        (found) => (found as string[]).map(Number),
        () => userIds.filter((id) => heldHere.has(id)), // unreachable: what this process knows
      );
      return new Set(on);
    },
    ready: () => client.isReady,
    onExpired(listener) {
      expiredListeners.add(listener);
      return () => expiredListeners.delete(listener);
    },
    async refresh() {
      if (refreshing) return;
      refreshing = true;
      try {
        await redate(lifetimeMs);
      } finally {
        refreshing = false;
      }
    },
    async sweep() {
      if (sweeping || !client.isReady || Date.now() < sweepAfter) return [];
      sweeping = true;
      try {
        const found = await sweep(client, [expiry], [prefix, String(SWEEP_BATCH)]);
        const offline = (found as string[]).map(Number);
        for (const userId of offline) tellExpired(userId);
        return offline;
      } catch (error) {
        log.debug("presence.sweep_failed", { error: String(error) });
        return [];
      } finally {
        sweeping = false;
      }
    },
    async close() {
      // This process's entries are left to lapse soon (handoffMs), not deleted: a user
      // reconnecting to another process meanwhile never looks offline, and a sweeper elsewhere
      // reports the one who does not.
      clearInterval(heartbeat);
      clearInterval(sweeper);
      expiredListeners.clear();
      if (options.handoffMs !== undefined) await redate(String(options.handoffMs));
      await disconnect(client);
    },
  };

  /** Sets every entry of this process to lapse `lifetime` ms from now. */
  async function redate(lifetime: string) {
    if (!client.isReady) return;
    try {
      const users = [...heldHere].map(String);
      for (let i = 0; i < users.length; i += REFRESH_BATCH) {
        const batch = users.slice(i, i + REFRESH_BATCH);
        await refresh(client, [expiry], [prefix, instanceId, lifetime, ...batch]);
      }
    } catch (error) {
      log.debug("presence.refresh_failed", { error: String(error) });
    }
  }

  function tellExpired(userId: number) {
    for (const listen of expiredListeners) {
      try {
        listen(userId);
      } catch (error) {
        log.error("presence.expired_listener_failed", { userId }, error);
      }
    }
  }

  const heartbeat = setInterval(() => presence.refresh(), heartbeatMs);
  const sweeper = setInterval(() => presence.sweep(), ttlMs / 10);
  return presence;
}

const _: (options: RedisPresenceOptions) => Promise<PresenceStore> = createRedisPresence;
