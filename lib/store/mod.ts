// Opens the store the settings ask for. Today that is the embedded SQLite file in DATA_DIR.
import { resolve } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { openSqliteStore } from "./sqlite/mod.ts";
import type { Store } from "./types.ts";

export { SchemaTooNewError } from "./sqlite/mod.ts";
export type * from "./types.ts";

export const DATABASE_FILE = "ugochat.db";

export type OpenedStore = {
  store: Store; /** Where the data lives, for the start line. */
  location: string;
};

export async function openStore(
  config: Pick<Config, "DATA_DIR" | "DB_BUSY_TIMEOUT_MS">,
  log: Logger,
): Promise<OpenedStore> {
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  const path = resolve(config.DATA_DIR, DATABASE_FILE);
  const store = openSqliteStore(path, {
    busyTimeoutMs: config.DB_BUSY_TIMEOUT_MS,
    checkpointInBackground: (message) => log.warn("db.checkpoint_failed", { message }),
  });
  return { store, location: path };
}
