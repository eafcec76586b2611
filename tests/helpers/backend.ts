// Which backend this run of the suite tests. By default the embedded one (SQLite in the test's
// data dir, memory broker); `deno task test:cluster` sets TEST_POSTGRES_URL (and TEST_REDIS_URL)
// to throwaway servers, and every test server then keeps its data there: the same tests, on
// the other backend. A test about SQLite itself says so with `sqliteOnly`.
import { connect } from "../../lib/store/postgres/db.ts";
import { testPostgres } from "./postgres.ts";

export const TEST_BACKEND: "sqlite" | "postgres" = Deno.env.get("TEST_POSTGRES_URL")
  ? "postgres"
  : "sqlite";

/**
 * Whether presence is shared through Redis: a killed process's users then stay online until
 * PRESENCE_TTL_S passes (no process is left to release them), not until the next start.
 */
export const SHARED_PRESENCE = Boolean(Deno.env.get("TEST_REDIS_URL"));

/** For `ignore:` on a test of the SQLite file itself (locks, checkpoints, bytes on disk). */
export const sqliteOnly = TEST_BACKEND !== "sqlite";

const databases = new Map<string, string>();

/**
 * The settings that put a test server's data on this run's backend. The same data dir gets the
 * same database, so a test that restarts a server on its data dir finds its data again.
 */
export async function backendEnv(dataDir: string): Promise<Record<string, string>> {
  if (TEST_BACKEND === "sqlite") return {};
  let url = databases.get(dataDir);
  if (!url) {
    // Dropped with the throwaway server at the end of the run.
    url = (await (await testPostgres())!.freshDatabase()).url;
    databases.set(dataDir, url);
  }
  const env: Record<string, string> = { DATABASE_URL: url };
  const redis = Deno.env.get("TEST_REDIS_URL");
  if (redis) {
    env.REDIS_URL = redis;
    // Test servers share the Redis, not their events: each data dir is its own deployment.
    env.REDIS_PREFIX = `test-${new URL(url).pathname.slice(1)}`;
  }
  return env;
}

/** Plain SQL on a test server's database, whichever backend: `?` placeholders, numbers back. */
export type TestDatabase = {
  all<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  run(query: string, ...params: unknown[]): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

export async function openTestDatabase(
  server: { databasePath: string; databaseUrl?: string },
): Promise<TestDatabase> {
  if (server.databaseUrl) {
    const sql = connect(server.databaseUrl, { poolSize: 1 });
    const numbered = (query: string) => {
      let n = 0;
      return query.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async <T>(query: string, ...params: unknown[]) =>
        [...await sql.unsafe(numbered(query), params as never[])] as T[],
      run: async (query, ...params) => {
        await sql.unsafe(numbered(query), params as never[]);
      },
      [Symbol.asyncDispose]: () => sql.end(),
    };
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(server.databasePath);
  return {
    all: <T>(query: string, ...params: unknown[]) =>
      Promise.resolve(db.prepare(query).all(...params as never[]) as T[]),
    run: (query, ...params) => {
      db.prepare(query).run(...params as never[]);
      return Promise.resolve();
    },
    [Symbol.asyncDispose]: () => Promise.resolve(db.close()),
  };
}
