// Search over the FTS5 index `message_search` (migration 8: each message's words as
// lib/search_text.ts normalises them, kept in step by indexer.ts). A search first indexes what
// is still queued, so it finds every message as it is now; the index finds the words, newest
// id first, and the join keeps what the reader may see.
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { Phrase } from "../../search_text.ts";
import type { SearchFilter, SearchStore } from "../types.ts";
import { type Db, transaction } from "./db.ts";
import { indexAllQueued, SEARCH_CATCH_UP } from "./indexer.ts";
import {
  MEMBER_OF,
  MESSAGE_COLUMNS,
  type MessageRecord,
  rejectingPart,
  REPLY_JOINS,
  toMessage,
} from "./sql.ts";

/** A query in FTS5's syntax: each phrase quoted (tokens are letters and digits only). */
export const ftsQuery = (phrases: readonly Phrase[]) =>
  phrases.map((p) => `"${p.tokens.join(" ")}"${p.prefix ? "*" : ""}`).join(" AND ");

// Neither blocked the other: search hides both ways, in every kind of conversation.
const UNBLOCKED = `NOT EXISTS (SELECT 1 FROM blocks b
  WHERE (b.blocker_id = :reader AND b.blocked_id = m.sender_id)
     OR (b.blocker_id = m.sender_id AND b.blocked_id = :reader))`;

export function sqliteSearch(db: Db): SearchStore {
  const statements = new Map<string, StatementSync>(); // one per shape of query
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, statement = db.prepare(sql));
    return statement;
  };
  const count = db.prepare("SELECT COUNT(*) AS n FROM message_search");

  return rejectingPart<SearchStore>({
    search(readerId, filter: SearchFilter, limit) {
      const words = filter.phrases.length > 0;
      if (words) indexAllQueued(db, SEARCH_CATCH_UP);
      const id = words ? "s.rowid" : "m.id";
      const params: Record<string, SQLInputValue> = { reader: readerId, limit };
      const where = ["m.deleted_at IS NULL", MEMBER_OF, UNBLOCKED];
      if (words) {
        where.push("message_search MATCH :match");
        params.match = ftsQuery(filter.phrases);
      }
      const optional: [keyof SearchFilter, string][] = [
        ["beforeId", `${id} < :beforeId`],
        ["senderId", "m.sender_id = :senderId"],
        ["conversationId", "m.conversation_id = :conversationId"],
        ["since", "m.created_at >= :since"],
        ["until", "m.created_at < :until"],
      ];
      for (const [key, condition] of optional) {
        const value = filter[key];
        if (value === undefined) continue;
        where.push(condition);
        params[key] = value as number;
      }
      const sql = `SELECT ${MESSAGE_COLUMNS}
        FROM ${words ? "message_search s JOIN messages m ON m.id = s.rowid" : "messages m"}
        JOIN users u ON u.id = m.sender_id ${REPLY_JOINS}
        JOIN conversations c ON c.id = m.conversation_id
        WHERE ${where.join(" AND ")} ORDER BY ${id} DESC LIMIT :limit`;
      const rows = prepared(sql).all(params) as MessageRecord[];
      return Promise.resolve(rows.map(toMessage));
    },
    reindex() {
      transaction(db, () => {
        db.exec("DELETE FROM message_search");
        db.exec("INSERT OR IGNORE INTO search_queue (message_id) SELECT id FROM messages");
      });
      indexAllQueued(db);
      db.exec("INSERT INTO message_search (message_search) VALUES ('optimize')");
      return Promise.resolve((count.get() as { n: number }).n);
    },
  });
}
