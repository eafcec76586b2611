// Connects to PostgreSQL and brings its schema up to date, once, however many instances start
// together: the migrations run in one transaction under an advisory lock.
import postgres from "postgres";
import { schemaTooNew } from "../schema.ts";
import { type Migration, PG_MIGRATIONS } from "./migrations.ts";

export type Sql = postgres.Sql;

// Any fixed number, the same in every instance: pg_advisory_xact_lock takes a bigint key.
const MIGRATION_LOCK = 0x75676f63; // "ugoc"

export type PgOptions = { poolSize?: number; connectTimeoutS?: number };

/** A pool of connections; int8 comes back as a number (ids and times fit in 2^53). */
export function connect(url: string, options: PgOptions = {}): Sql {
  return postgres(url, {
    max: options.poolSize ?? 10,
    connect_timeout: options.connectTimeoutS ?? 5,
    onnotice: () => {},
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number) => String(value),
        parse: (value: string) => Number(value),
      },
    },
  });
}

/** Applies the migrations not yet applied; refuses a schema newer than the code. */
export async function migrate(sql: Sql, migrations: readonly Migration[] = PG_MIGRATIONS) {
  const latest = migrations.at(-1)?.version ?? 0;
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`;
    const [{ version }] = await tx<{ version: number | null }[]>`
      SELECT MAX(version) AS version FROM schema_migrations`;
    const current = version ?? 0;
    if (current > latest) throw schemaTooNew(current, latest);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await tx.unsafe(migration.sql);
      await migration.then?.(tx);
      await tx`INSERT INTO schema_migrations (version, name, applied_at)
        VALUES (${migration.version}, ${migration.name}, ${Date.now()})`;
    }
  });
}
