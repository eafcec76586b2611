/// <reference lib="deno.worker" />
// Runs SQLite's WAL checkpoints on a thread of their own. A checkpoint copies the log into
// the database file and syncs both: tens of milliseconds that, on the server's thread, every
// message in flight would wait for. Here the server's thread only appends to the log.
import { DatabaseSync } from "node:sqlite";
import type { CheckpointerCommand, CheckpointerReport } from "./checkpointer.ts";

let db: DatabaseSync | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

self.onmessage = (event: MessageEvent<CheckpointerCommand>) => {
  const command = event.data;
  if (command.type === "start") {
    db = new DatabaseSync(command.path, { timeout: command.busyTimeoutMs });
    timer = setInterval(checkpoint, command.everyMs);
  } else {
    clearInterval(timer);
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

const report = (message: CheckpointerReport) => self.postMessage(message);
