// Keeps the search index (message_search) in step with the messages. A change to a message
// only queues its id (search_queue, by trigger, in the change's own transaction: nothing is
// ever missed); indexing a queued message takes FTS5 some 15 µs, which on the server's thread
// every message in flight would wait for. So the background worker (checkpoint_worker.ts)
// indexes the queue as it fills, and a search first indexes whatever is still queued, so it
// always sees every message as it is now. Indexing one message is idempotent: out with what the
// index holds for it, in with its words now (none once deleted or gone).
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { searchText } from "../../search_text.ts";

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
      // The first `limit` queued, with the message as it is now (none: it is gone).
      queued: db.prepare(`SELECT q.message_id AS id, m.body, m.deleted_at
        FROM (SELECT message_id FROM search_queue ORDER BY message_id LIMIT ?) q
        LEFT JOIN messages m ON m.id = q.message_id ORDER BY q.message_id`),
      forget: db.prepare("DELETE FROM message_search WHERE rowid = ?"),
      index: db.prepare("INSERT INTO message_search (rowid, words) VALUES (?, ?)"),
      done: db.prepare("DELETE FROM search_queue WHERE message_id <= ?"),
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
    if (rows.length) s.done.run(rows.at(-1)!.id); // the smallest ids: exactly these
    db.exec("COMMIT");
    return rows.length;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** Indexes the whole queue, a batch at a time. */
export function indexAllQueued(db: DatabaseSync, batch = 1_000): number {
  let total = 0;
  for (let n = batch; n === batch;) total += n = indexQueued(db, batch);
  return total;
}
