// Search over `messages.search`: each message's words as lib/search_text.ts normalises them,
// a tsvector (the 'simple' configuration keeps those words as they are) under a GIN index,
// written with the message by every verb that changes its text (messages.ts).
import type postgres from "postgres";
import { type Phrase, searchText } from "../../search_text.ts";
import type { SearchFilter, SearchStore } from "../types.ts";
import type { Sql } from "./db.ts";
import { memberOf, messageColumns, type MessageRecord, messagesFrom, toMessage } from "./sql.ts";

/** A query as a tsquery's text: each phrase's tokens in order (tokens are letters and digits). */
export const tsQuery = (phrases: readonly Phrase[]) =>
  phrases.map((p) =>
    `(${
      p.tokens.map((t, i) => `'${t}'${p.prefix && i === p.tokens.length - 1 ? ":*" : ""}`).join(
        " <-> ",
      )
    })`
  ).join(" & ");

const BATCH = 2_000;

/** Writes the index entry of every message (none for a deleted one), a batch at a time. */
export async function indexAll(tx: Sql | postgres.TransactionSql): Promise<number> {
  let after = 0;
  let indexed = 0;
  for (;;) {
    const rows = await tx<{ id: number; body: string; deleted: boolean }[]>`
      SELECT id, body, deleted_at IS NOT NULL AS deleted FROM messages
      WHERE id > ${after} ORDER BY id LIMIT ${BATCH}`;
    if (!rows.length) return indexed;
    const live = rows.filter((row) => !row.deleted);
    await tx`UPDATE messages m SET search = to_tsvector('simple', w.words)
      FROM unnest(${live.map((row) => row.id)}::bigint[], ${
      live.map((row) => searchText(row.body))
    }::text[]) AS w(id, words)
      WHERE m.id = w.id`;
    indexed += live.length;
    after = rows.at(-1)!.id;
  }
}

export function pgSearch(sql: Sql): SearchStore {
  const columns = messageColumns(sql);
  const from = messagesFrom(sql);
  return {
    async search(readerId, filter: SearchFilter, limit) {
      const conditions = [
        sql`m.deleted_at IS NULL`,
        memberOf(sql, readerId),
        // Neither blocked the other: search hides both ways, in every kind of conversation.
        sql`NOT EXISTS (SELECT 1 FROM blocks b
          WHERE (b.blocker_id = ${readerId} AND b.blocked_id = m.sender_id)
             OR (b.blocker_id = m.sender_id AND b.blocked_id = ${readerId}))`,
      ];
      if (filter.phrases.length) {
        conditions.push(sql`m.search @@ ${tsQuery(filter.phrases)}::tsquery`);
      }
      if (filter.beforeId !== undefined) conditions.push(sql`m.id < ${filter.beforeId}`);
      if (filter.senderId !== undefined) conditions.push(sql`m.sender_id = ${filter.senderId}`);
      if (filter.conversationId !== undefined) {
        conditions.push(sql`m.conversation_id = ${filter.conversationId}`);
      }
      if (filter.since !== undefined) conditions.push(sql`m.created_at >= ${filter.since}`);
      if (filter.until !== undefined) conditions.push(sql`m.created_at < ${filter.until}`);
      const where = conditions.reduce((all, condition) => sql`${all} AND ${condition}`);
      const rows = await sql<MessageRecord[]>`SELECT ${columns} FROM ${from}
        JOIN conversations c ON c.id = m.conversation_id
        WHERE ${where} ORDER BY m.id DESC LIMIT ${limit}`;
      return rows.map(toMessage);
    },
    reindex: () => sql.begin((tx) => indexAll(tx)),
  };
}
