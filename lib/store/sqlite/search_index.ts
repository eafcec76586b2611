// The search index: an FTS5 table of each message's words (lib/search_text.ts), in a SQLite
// file of its own beside the database (ugochat-search.db), on a connection of its own. It
// follows the messages by seq: every change a message makes (sent, edited, deleted, reacted
// to) moves it to the next seq, so the index reads the messages past the last seq it saw,
// takes each out (by id: the table keeps its own copy of the words) and puts the live ones
// back in as they are now. A message that goes without a seq (a deleted room's) is named in
// the database's search_gone.
//
// Measured (docs/performance.md, "Search"): indexing in the sender's transaction, or in the
// same file from another thread, cost the direct-message path a third of its throughput (FTS5
// work, and the server's writes waiting for the index's). So the background worker's thread
// (checkpoint_worker.ts) writes this file, and the server's thread only for a search: that
// first indexes what is still new (at most SEARCH_CATCH_UP messages, some 30 ms), so a search
// finds messages as they are now. secure-delete takes a deleted or edited message's old words
// out of the file at once. The file can always be built again from the database (`deno task
// reindex`, or by deleting it). Two connections, not ATTACH: Deno allows ATTACH only with
// every permission, and the server runs with the narrowest.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type Phrase, searchText } from "../../search_text.ts";

/** The index's own schema version: a change to searchText's rules bumps it, and it is rebuilt. */
const INDEX_VERSION = 1;
/** The most a search indexes itself before it runs (the worker does the rest). */
export const SEARCH_CATCH_UP = 5_000;

export const searchIndexPath = (databasePath: string) =>
  `${databasePath.replace(/\.db$/, "")}-search.db`;

export type SearchIndex = ReturnType<typeof openSearchIndex>;

/**
 * Opens the index beside the database `source` is connected to (making it if need be). Only
 * one connection writes the index at a time (BEGIN IMMEDIATE on its file alone), and each reads
 * the messages after the last seq inside that transaction, so catching up is in order.
 */
export function openSearchIndex(source: DatabaseSync, databasePath: string, busyTimeoutMs: number) {
  const index = new DatabaseSync(searchIndexPath(databasePath), { timeout: busyTimeoutMs });
  try {
    index.exec("PRAGMA journal_mode = WAL");
    index.exec("PRAGMA synchronous = NORMAL"); // lost at a crash, it is read again by seq
    index.exec("PRAGMA secure_delete = ON");
    // Without sizes (columnsize=0: nothing here ranks). Positions stay: without them
    // (detail=none) writing is a fifth cheaper, but a prefix, the usual search, takes 2.5 times
    // as long, and phrases need checking against the words. "_" is a letter here: the tokens _u<sender id> and _c<conversation id> stand for from: and
    // in: (words never hold one), so the database needs no index of its own for them, which
    // every message sent would pay for (measured: a tenth of the direct-message path).
    index.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5(
      words, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'", columnsize = 0)`);
    index.exec(`CREATE TABLE IF NOT EXISTS search_state (
      id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, last_seq INTEGER NOT NULL)`);
    const state = index.prepare("SELECT version, last_seq FROM search_state").get() as
      | { version: number; last_seq: number }
      | undefined;
    const { last_seq: sequence } = source.prepare("SELECT last_seq FROM event_sequence").get() as {
      last_seq: number;
    };
    // An index of another version, or ahead of the database (a backup put back under it): anew.
    if (state?.version !== INDEX_VERSION || state.last_seq > sequence) {
      inTransaction(index, () => {
        index.exec("DELETE FROM message_search");
        index.exec("INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1)");
        index.prepare("INSERT OR REPLACE INTO search_state VALUES (1, ?, 0)").run(INDEX_VERSION);
      });
    }
  } catch (error) {
    index.close();
    throw error;
  }

  const sql = {
    lastSeq: index.prepare("SELECT last_seq FROM search_state"),
    setSeq: index.prepare("UPDATE search_state SET last_seq = ?"),
    forget: index.prepare("DELETE FROM message_search WHERE rowid = ?"),
    put: index.prepare("INSERT INTO message_search (rowid, words) VALUES (?, ?)"),
    count: index.prepare("SELECT COUNT(*) AS n FROM message_search"),
    candidates: index.prepare(`SELECT rowid AS id FROM message_search
      WHERE message_search MATCH :match AND rowid < :before ORDER BY rowid DESC LIMIT :limit`),
    changed: source.prepare(
      `SELECT id, seq, body, deleted_at, sender_id, conversation_id FROM messages
      WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
    // Gone, and not there again: an id taken anew is read by its seq (forget, then put).
    gone: source.prepare(`SELECT g.message_id AS id FROM search_gone g
      WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = g.message_id) LIMIT 500`),
    forgotten: source.prepare("DELETE FROM search_gone WHERE message_id = ?"),
  } satisfies Record<string, StatementSync>;

  /** Indexes up to `limit` messages changed since the index last looked; how many it read. */
  function indexChanged(limit: number): number {
    return inTransaction(index, () => {
      const { last_seq } = sql.lastSeq.get() as { last_seq: number };
      const rows = sql.changed.all(last_seq, limit) as Changed[];
      for (const row of rows) {
        sql.forget.run(row.id);
        if (row.deleted_at !== null) continue;
        const words = `${searchText(row.body)} ${senderToken(row.sender_id)} ${
          conversationToken(row.conversation_id)
        }`;
        sql.put.run(row.id, words);
      }
      if (rows.length) sql.setSeq.run(rows.at(-1)!.seq);
      return rows.length;
    });
  }

  /** Lets go of the words of messages deleted without a seq (a deleted room's). */
  function forgetGone(): number {
    const ids = inTransaction(index, () => {
      const found = (sql.gone.all() as { id: number }[]).map((row) => row.id);
      for (const id of found) sql.forget.run(id);
      return found;
    });
    for (const id of ids) sql.forgotten.run(id); // rare: a room deleted
    return ids.length;
  }

  return {
    /** Catches up, a batch per transaction, with at most `most` messages (all, by default). */
    catchUp(most = Infinity, batch = 500): number {
      forgetGone();
      let total = 0;
      while (total < most) {
        const asked = Math.min(batch, most - total);
        const n = indexChanged(asked);
        total += n;
        if (n < asked) break; // caught up
      }
      return total;
    },
    /**
     * Ids of messages with every phrase, and from the sender and in the conversation when
     * given, below `beforeId`, newest first.
     */
    candidates: (
      query: { phrases: readonly Phrase[]; senderId?: number; conversationId?: number },
      beforeId: number,
      limit: number,
    ) =>
      (sql.candidates.all({ match: ftsQuery(query), before: beforeId, limit }) as {
        id: number;
      }[]).map((row) => row.id),
    /** Forgets everything indexed: the next catching up reads every message again. */
    clear() {
      inTransaction(index, () => {
        index.exec("DELETE FROM message_search");
        sql.setSeq.run(0);
      });
    },
    optimize: () => index.exec("INSERT INTO message_search (message_search) VALUES ('optimize')"),
    count: () => (sql.count.get() as { n: number }).n,
    checkpoint: () => index.exec("PRAGMA wal_checkpoint(PASSIVE)"),
    close: () => index.isOpen && index.close(),
  };
}

/**
 * The index's query: each phrase, quoted (its last token a prefix when it may go on), and the
 * sender's and conversation's tokens. Tokens are letters, digits and "_" only: quoting is enough.
 */
export const ftsQuery = (
  query: { phrases: readonly Phrase[]; senderId?: number; conversationId?: number },
) =>
  [
    ...query.phrases.map((p) => `"${p.tokens.join(" ")}"${p.prefix ? "*" : ""}`),
    ...(query.senderId === undefined ? [] : [`"${senderToken(query.senderId)}"`]),
    ...(query.conversationId === undefined ? [] : [`"${conversationToken(query.conversationId)}"`]),
  ].join(" AND ");

type Changed = {
  id: number;
  seq: number;
  body: string;
  deleted_at: number | null;
  sender_id: number;
  conversation_id: number;
};

/** The tokens that stand for from: and in: (see the table's tokenchars). */
export const senderToken = (id: number) => `_u${id}`;
export const conversationToken = (id: number) => `_c${id}`;

function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
