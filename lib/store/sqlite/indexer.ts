// Keeps the search index (message_search) in step with the messages. A change to a message
// only queues its id (search_queue, by trigger, in the change's own transaction: nothing is
// ever missed); indexing a queued message takes FTS5 some 15 µs, which on the server's thread
// every message in flight would wait for. So the background worker (checkpoint_worker.ts)
// indexes the queue as it fills, and a search first indexes whatever is still queued, so it
// sees every message as it is now. Only after an upgrade, while the worker builds the index for
// a large history (newest first), may a search miss older messages: it catches up at most
// SEARCH_CATCH_UP messages itself, some 30 ms, rather than stall the server. Indexing one message is idempotent: out with what the
// index holds for it, in with its words now (none once deleted or gone).
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { searchText } from "../../search_text.ts";

/** The most a search indexes before it runs (the worker does the rest). */
export const SEARCH_CATCH_UP = 5_000;

type Statements = {
  queued: StatementSync;
  forget: StatementSync;
  index: StatementSync;
  done: StatementSync;
};
const prepared = new WeakMap<DatabaseSync, Statements>();

function statements(db: DatabaseSync): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      // The newest `limit` queued (a long queue, after an upgrade, is searchable newest first),
      // with the message as it is now (none: it is gone).
      queued: db.prepare(`SELECT q.message_id AS id, m.body, m.deleted_at
        FROM (SELECT message_id FROM search_queue ORDER BY message_id DESC LIMIT ?) q
        LEFT JOIN messages m ON m.id = q.message_id ORDER BY q.message_id DESC`),
      forget: db.prepare("DELETE FROM message_search WHERE rowid = ?"),
      index: db.prepare("INSERT INTO message_search (rowid, words) VALUES (?, ?)"),
      done: db.prepare("DELETE FROM search_queue WHERE message_id >= ?"),
    };
    prepared.set(db, s);
  }
  return s;
}

type Queued = { id: number; body: string | null; deleted_at: number | null };

/** Indexes up to `limit` queued messages in one transaction; resolves how many it took. */
export function indexQueued(db: DatabaseSync, limit: number): number {
  const s = statements(db);
  db.exec("BEGIN IMMEDIATE");
  try {
    const rows = s.queued.all(limit) as Queued[];
    for (const row of rows) {
      s.forget.run(row.id);
      if (row.body !== null && row.deleted_at === null) s.index.run(row.id, searchText(row.body));
    }
    if (rows.length) s.done.run(rows.at(-1)!.id); // the largest ids: exactly these
    db.exec("COMMIT");
    return rows.length;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** Indexes the queue, a batch at a time, up to `most` messages (all, by default). */
export function indexAllQueued(db: DatabaseSync, most = Infinity, batch = 1_000): number {
  let total = 0;
  for (let n = batch; n === batch && total < most;) total += n = indexQueued(db, batch);
  return total;
}
