// `deno task backup [file]`: a consistent copy of the live database (VACUUM INTO),
// safe to run while UgoChat serves.
import { resolve } from "node:path";
import { loadConfigFromEnv } from "../lib/config.ts";
import { DATABASE_FILE } from "../lib/store/mod.ts";
import { openSqliteStore } from "../lib/store/sqlite/mod.ts";

const config = loadConfigFromEnv();
const stamp = new Date().toISOString().replaceAll(":", "-").replace(/\..*/, "");
const target = resolve(Deno.args[0] ?? `${config.DATA_DIR}/backup-${stamp}.db`);
const store = openSqliteStore(resolve(config.DATA_DIR, DATABASE_FILE));
try {
  await store.backupTo(target);
  console.log(`backed up to ${target}`);
} finally {
  await store.close();
}
