// Opens the store the settings ask for: PostgreSQL when DATABASE_URL is set, else the embedded
// SQLite file in DATA_DIR. A store that cannot be opened is one line saying why.
import { resolve } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { SchemaTooNewError } from "./schema.ts";
import { openSqliteStore } from "./sqlite/mod.ts";
import type { Store } from "./types.ts";

export { SchemaTooNewError } from "./schema.ts";
export type * from "./types.ts";

export const DATABASE_FILE = "ugochat.db";

/** The configured database cannot be used; the message says why, in one line. */
export class StoreUnavailableError extends Error {}

export type OpenedStore = {
  store: Store; /** Where the data lives, for the start line (no password). */
  location: string;
};

export async function openStore(
  config: Pick<Config, "DATA_DIR" | "DB_BUSY_TIMEOUT_MS" | "DATABASE_URL" | "DATABASE_POOL_SIZE">,
  log: Logger,
): Promise<OpenedStore> {
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    const location = `postgres://${url.host}${url.pathname}`;
    try {
      // Loaded only when asked for: the embedded default never loads the PostgreSQL client.
      const { openPostgresStore } = await import("./postgres/mod.ts");
      const store = await openPostgresStore(config.DATABASE_URL, {
        poolSize: config.DATABASE_POOL_SIZE,
      });
      return { store, location };
    } catch (error) {
      if (error instanceof SchemaTooNewError) throw error;
      throw new StoreUnavailableError(`PostgreSQL at ${location}: ${postgresProblem(error, url)}`);
    }
  }
  await Deno.mkdir(config.DATA_DIR, { recursive: true });
  const path = resolve(config.DATA_DIR, DATABASE_FILE);
  const store = openSqliteStore(path, {
    busyTimeoutMs: config.DB_BUSY_TIMEOUT_MS,
    checkpointInBackground: (message) => log.warn("db.checkpoint_failed", { message }),
  });
  return { store, location: path };
}

/** What an operator needs to hear about a failed connection (never the password). */
function postgresProblem(error: unknown, url: URL): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return `cannot reach the server (${e.code}); is it running, and is the host right?`;
    case "28P01":
    case "28000":
      return `the server refused user "${decodeURIComponent(url.username)}" (${e.message})`;
    case "3D000":
      return `${e.message}; create it first (createdb)`;
    case "42501":
      return `permission denied: ${e.message}`;
  }
  return e.message ?? String(error);
}
