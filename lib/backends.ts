// Picks the backends the settings ask for. Today: the SQLite file in DATA_DIR, and the
// memory broker and presence of a single process.
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { memoryLimiters } from "./limits.ts";
import { createMemoryBroker } from "./realtime/broker_memory.ts";
import { createMemoryPresence } from "./realtime/presence_memory.ts";
import type { Backends } from "./services.ts";
import { openStore } from "./store/mod.ts";

export type OpenedBackends = Backends & {
  /** Where the data lives, for the start line. */
  location: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

export async function openBackends(config: Config, log: Logger): Promise<OpenedBackends> {
  const { store, location } = await openStore(config, log);
  const broker = createMemoryBroker();
  const presence = createMemoryPresence();
  const close = async () => {
    await broker.close();
    await presence.close();
    await store.close();
  };
  const limiters = memoryLimiters;
  return { store, broker, presence, limiters, location, close, [Symbol.asyncDispose]: close };
}
