// Search on SQLite: the index (search_index.ts, a file of its own) finds the messages with the
// words, newest id first, a batch at a time; the database keeps those the reader may see, with
// the filters, until a page is full. A search first indexes what is still new, so it finds
// messages as they are now. A search of dates alone asks the database only.
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { MessageRow, SearchFilter, SearchStore } from "../types.ts";
import type { Db } from "./db.ts";
import { SEARCH_CATCH_UP, type SearchIndex } from "./search_index.ts";
import {
  MEMBER_OF,
  MESSAGE_COLUMNS,
  type MessageRecord,
  rejectingPart,
  REPLY_JOINS,
  toMessage,
} from "./sql.ts";

// Neither blocked the other: search hides both ways, in every kind of conversation.
const UNBLOCKED = `NOT EXISTS (SELECT 1 FROM blocks b
  WHERE (b.blocker_id = :reader AND b.blocked_id = m.sender_id)
     OR (b.blocker_id = m.sender_id AND b.blocked_id = :reader))`;

/** Candidates read from the index at first, and at most at once (growing fourfold). */
const FIRST_BATCH = 100;
const LARGEST_BATCH = 25_600;

export function sqliteSearch(db: Db, index: SearchIndex): SearchStore {
  const statements = new Map<string, StatementSync>(); // one per shape of query
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, statement = db.prepare(sql));
    return statement;
  };

  /** The messages the reader may see that pass the filters, among `ids` if given; newest first. */
  function visible(
    readerId: number,
    filter: SearchFilter,
    limit: number,
    ids?: number[],
  ): MessageRow[] {
    const params: Record<string, SQLInputValue> = { reader: readerId, limit };
    const where = ["m.deleted_at IS NULL", MEMBER_OF, UNBLOCKED];
    if (ids) params.ids = JSON.stringify(ids);
    const optional: [keyof SearchFilter, string][] = [
      ["beforeId", "m.id < :beforeId"],
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
    // Among candidates, they lead (CROSS JOIN keeps that order of loops): a few lookups by id,
    // not a walk down every message by id that checks each against the list.
    const from = ids ? "json_each(:ids) j CROSS JOIN messages m ON m.id = j.value" : "messages m";
    const sql = `SELECT ${MESSAGE_COLUMNS}
      FROM ${from} JOIN users u ON u.id = m.sender_id ${REPLY_JOINS}
      JOIN conversations c ON c.id = m.conversation_id
      WHERE ${where.join(" AND ")} ORDER BY m.id DESC LIMIT :limit`;
    return (prepared(sql).all(params) as MessageRecord[]).map(toMessage);
  }

  return rejectingPart<SearchStore>({
    search(readerId, filter, limit) {
      // The index finds words, senders and conversations; dates alone, the database.
      const indexed = filter.phrases.length || filter.senderId !== undefined ||
        filter.conversationId !== undefined;
      if (!indexed) return Promise.resolve(visible(readerId, filter, limit));
      index.catchUp(SEARCH_CATCH_UP);
      const found: MessageRow[] = [];
      let before = filter.beforeId ?? Number.MAX_SAFE_INTEGER;
      for (
        let batch = FIRST_BATCH;
        found.length < limit;
        batch = Math.min(batch * 4, LARGEST_BATCH)
      ) {
        const ids = index.candidates(filter, before, batch);
        if (!ids.length) break;
        found.push(...visible(readerId, filter, limit - found.length, ids));
        if (ids.length < batch) break; // the index has no more
        before = ids.at(-1)!;
      }
      return Promise.resolve(found);
    },
    reindex() {
      index.clear();
      index.catchUp();
      index.optimize();
      return Promise.resolve(index.count());
    },
  });
}
