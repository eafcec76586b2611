/// <reference lib="deno.worker" />
// Runs SQLite's WAL checkpoints, and the search index's catching up, on a thread of their
// own. A checkpoint copies the log into the database file and syncs both: tens of milliseconds
// that, on the server's thread, every message in flight would wait for; indexing a message is
// some 7 µs of FTS5, in the index's own file (search_index.ts). Here the server's thread only
// appends to the log.
import { cpuUsage } from "node:process";
import { DatabaseSync } from "node:sqlite";
import type { CheckpointerCommand, CheckpointerReport } from "./checkpointer.ts";
import { openSearchIndex, type SearchIndex } from "./search_index.ts";

let db: DatabaseSync | null = null;
let search: SearchIndex | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
let indexer: ReturnType<typeof setInterval> | undefined;
/**
 * How often the worker looks, and the most it indexes in one transaction: fewer, larger
 * transactions make FTS5 merge less (a third of the cost, measured), while one period's worth
 * stays a burst of a few milliseconds at full load.
 */
const INDEX_EVERY_MS = 100;
const INDEX_BATCH = 2_000;
/**
 * While the rest of the server keeps more than this share of a core busy, indexing takes at
 * most BUSY_BATCH messages a period (a few milliseconds) and the index lags, not the messages: on a small machine
 * the server and this thread share one core (docs/performance.md, "Search"). Otherwise it
 * catches up at full speed; a search indexes what it needs first in any case (search.ts).
 */
const BUSY_SHARE = 0.6;
const BUSY_BATCH = 300;
let lastCpu = cpuUsage();
let lastAt = performance.now();
let spentMs = 0;

self.onmessage = (event: MessageEvent<CheckpointerCommand>) => {
  const command = event.data;
  if (command.type === "start") {
    db = new DatabaseSync(command.path, { timeout: command.busyTimeoutMs });
    search = openSearchIndex(db, command.path, command.busyTimeoutMs);
    timer = setInterval(checkpoint, command.everyMs);
    indexer = setInterval(index, INDEX_EVERY_MS);
  } else {
    clearInterval(timer);
    clearInterval(indexer);
    search?.close();
    if (db?.isOpen) db.close();
    report({ type: "stopped" });
  }
};

function checkpoint() {
  try {
    // PASSIVE never blocks the writer: it copies what it can and leaves the rest for next time.
    db?.exec("PRAGMA wal_checkpoint(PASSIVE)");
    search?.checkpoint();
  } catch (error) {
    report({ type: "error", message: String(error) });
  }
}

/** Indexes what changed since it last looked, within its budget. */
function index() {
  try {
    const now = performance.now();
    const cpu = cpuUsage();
    const usedMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000 - spentMs;
    if (usedMs / Math.max(1, now - lastAt) > BUSY_SHARE) search?.catchUp(BUSY_BATCH, BUSY_BATCH);
    else {
      const until = now + INDEX_EVERY_MS / 2;
      while (search?.catchUp(INDEX_BATCH, INDEX_BATCH) === INDEX_BATCH) {
        if (performance.now() > until) break;
      }
    }
    [lastCpu, lastAt, spentMs] = [cpu, now, performance.now() - now];
  } catch (error) {
    report({ type: "error", message: `search index: ${error}` });
  }
}

const report = (message: CheckpointerReport) => self.postMessage(message);
