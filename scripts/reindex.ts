// `deno task reindex`: builds the search index again from every message, on the database the
// settings name (the SQLite file in DATA_DIR, or DATABASE_URL). Safe while UgoChat serves: it
// is one transaction, which writers wait for.
import { loadConfigFromEnv } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { openStore } from "../lib/store/mod.ts";

const config = loadConfigFromEnv();
const { store, location } = await openStore(config, createLogger("error"));
try {
  const started = performance.now();
  const indexed = await store.search.reindex();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`search index rebuilt at ${location}: ${indexed} messages in ${seconds} s`);
} finally {
  await store.close();
}
