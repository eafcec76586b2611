/// <reference lib="deno.worker" />
// Runs SQLite's WAL checkpoints, and the search index's catching up, on a thread of their
// own. A checkpoint copies the log into the database file and syncs both: tens of milliseconds
// that, on the server's thread, every message in flight would wait for; indexing a message is
// some 15 µs of FTS5 (indexer.ts). Here the server's thread only appends to the log and queues.
import { DatabaseSync } from "node:sqlite";
import type { CheckpointerCommand, CheckpointerReport } from "./checkpointer.ts";
import { indexQueued } from "./indexer.ts";

let db: DatabaseSync | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
let indexer: ReturnType<typeof setInterval> | undefined;
/** Messages indexed per transaction: a few milliseconds, so the server's writes wait little. */
const INDEX_BATCH = 200;
const INDEX_EVERY_MS = 50;

self.onmessage = (event: MessageEvent<CheckpointerCommand>) => {
  const command = event.data;
  if (command.type === "start") {
    db = new DatabaseSync(command.path, { timeout: command.busyTimeoutMs });
    db.exec("PRAGMA secure_delete = ON"); // old words it takes out are overwritten (db.ts)
    timer = setInterval(checkpoint, command.everyMs);
    indexer = setInterval(index, INDEX_EVERY_MS);
  } else {
    clearInterval(timer);
    clearInterval(indexer);
    if (db?.isOpen) db.close();
    report({ type: "stopped" });
  }
};

function checkpoint() {
  try {
    // PASSIVE never blocks the writer: it copies what it can and leaves the rest for next time.
    db?.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (error) {
    report({ type: "error", message: String(error) });
  }
}

/** Indexes what is queued, a batch per transaction, until the queue is empty (or 20 batches). */
function index() {
  try {
    for (let i = 0; i < 20 && db && indexQueued(db, INDEX_BATCH) === INDEX_BATCH; i++);
  } catch (error) {
    report({ type: "error", message: `search index: ${error}` });
  }
}

const report = (message: CheckpointerReport) => self.postMessage(message);
