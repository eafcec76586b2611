// `deno task migrate-to-postgres`: copies the SQLite database in DATA_DIR into the PostgreSQL
// database in DATABASE_URL (every table, ids kept), checks that both hold the same number of
// rows, and says so. Safe to run again: what is there already is skipped. Stop UgoChat (or
// point it at PostgreSQL) once the copy is done, so that nothing new lands in SQLite after it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, loadConfigFromEnv } from "../lib/config.ts";
import { copyToPostgres } from "../lib/store/copy_to_postgres.ts";
import { DATABASE_FILE } from "../lib/store/mod.ts";

let config;
try {
  config = loadConfigFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
const sqlitePath = resolve(config.DATA_DIR, DATABASE_FILE);
if (!config.DATABASE_URL) {
  console.error("Set DATABASE_URL to the PostgreSQL database to copy into (postgres://…).");
  Deno.exit(1);
}
if (!existsSync(sqlitePath)) {
  console.error(`There is no SQLite database at ${sqlitePath} (set DATA_DIR).`);
  Deno.exit(1);
}
const target = new URL(config.DATABASE_URL);
console.log(`copying ${sqlitePath} into postgres://${target.host}${target.pathname}`);
let report;
try {
  report = await copyToPostgres(sqlitePath, config.DATABASE_URL);
} catch (error) {
  console.error(`The copy failed, and nothing of it was kept: ${(error as Error).message}`);
  Deno.exit(1);
}
let differ = false;
for (const { table, source, copied, target } of report) {
  const same = source === target;
  differ ||= !same;
  console.log(
    `  ${table.padEnd(16)} ${String(source).padStart(8)} in SQLite, ${
      String(copied).padStart(8)
    } copied now, ${String(target).padStart(8)} in PostgreSQL${same ? "" : "  ← differs"}`,
  );
}
if (differ) {
  console.error(
    "PostgreSQL holds rows the SQLite file does not (was UgoChat already running on it?): check before switching.",
  );
  Deno.exit(2);
}
console.log("done: every table holds the same rows in both. Start UgoChat with DATABASE_URL set.");
