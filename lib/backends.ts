// Picks the backends the settings ask for: the store (SQLite in DATA_DIR, or PostgreSQL with
// DATABASE_URL) and how events, presence and rate limits cross processes (in this process, or
// through Redis with REDIS_URL). One that cannot be opened stops the start with one line.
import type { Config } from "./config.ts";
import { memoryLimiters } from "./limits.ts";
import type { Logger } from "./log.ts";
import type { Broker } from "./realtime/broker.ts";
import { createMemoryBroker } from "./realtime/broker_memory.ts";
import type { PresenceStore } from "./realtime/presence.ts";
import { createMemoryPresence } from "./realtime/presence_memory.ts";
import type { Backends } from "./services.ts";
import { openStore, StoreUnavailableError } from "./store/mod.ts";

export type OpenedBackends = Backends & {
  /** Where the data lives, for the start line. */
  location: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

export async function openBackends(config: Config, log: Logger): Promise<OpenedBackends> {
  const { store, location } = await openStore(config, log);
  const closing: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const step of closing.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const shared = config.REDIS_URL ? await openRedis(config, log, closing) : null;
    const broker = shared?.broker ?? createMemoryBroker();
    const presence = shared?.presence ?? createMemoryPresence();
    if (!shared) closing.push(() => broker.close(), () => presence.close());
    return {
      store,
      broker,
      presence,
      limiters: shared?.limiters ?? memoryLimiters,
      socketSlots: shared?.socketSlots,
      location: shared ? `${location} + redis://${new URL(config.REDIS_URL!).host}` : location,
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openRedis(config: Config, log: Logger, closing: (() => Promise<void>)[]) {
  const options = { url: config.REDIS_URL!, log, prefix: config.REDIS_PREFIX };
  // Loaded only when asked for: a server on the embedded default never loads the Redis client.
  const [{ createRedisBroker }, { createRedisPresence }, { createRedisLimiters }, {
    createRedisSocketSlots,
  }] = await Promise.all([
    import("./realtime/broker_redis.ts"),
    import("./realtime/presence_redis.ts"),
    import("./limits_redis.ts"),
    import("./socket_slots_redis.ts"),
  ]);
  try {
    const broker = await createRedisBroker(options);
    closing.push(() => broker.close());
    const presence = await createRedisPresence({
      ...options,
      ttlS: config.PRESENCE_TTL_S,
      handoffMs: config.PRESENCE_GRACE_MS,
    });
    closing.push(() => presence.close());
    const limits = await createRedisLimiters(options);
    closing.push(() => limits.close());
    const socketSlots = await createRedisSocketSlots({ ...options, ttlS: config.PRESENCE_TTL_S });
    closing.push(() => socketSlots.close());
    return {
      broker: broker as Broker,
      presence: presence as PresenceStore,
      limiters: limits.limiters,
      socketSlots,
    };
  } catch (error) {
    // connectRedis says what went wrong in one line, without the password.
    throw new StoreUnavailableError((error as Error).message);
  }
}
