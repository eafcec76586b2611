// Messages, and the one event sequence they travel on. Inserts that arrive while a batch is
// being written share the next one (group commit): one statement takes the batch's seqs from
// the event_sequence row and inserts its messages. That row stays locked until the statement
// commits, so batches from every instance take seqs and commit one after another: a seq is
// never visible before a lower one (tests/store/postgres_test.ts shows a reader never misses one).
import type postgres from "postgres";
import { searchText } from "../../search_text.ts";
import { attachReactions } from "../reactions.ts";
import type { ChangeBy, MessageRow, MessageStore, NewMessage, StoredMessage } from "../types.ts";
import type { Sql } from "./db.ts";
import {
  memberOf,
  mentioned,
  messageColumns,
  type MessageRecord,
  messagesFrom,
  notBlocked,
  toMessage,
} from "./sql.ts";

/** The advisory lock class under which one user's changes to messages take turns. */
const CHANGES_LOCK = 7_211;

type PendingInsert = {
  message: NewMessage;
  resolve: (stored: StoredMessage) => void;
  reject: (e: unknown) => void;
};

export function pgMessages(sql: Sql): MessageStore {
  const columns = messageColumns(sql);
  const from = messagesFrom(sql);
  const byClientId = async (senderId: number, clientId: string) => {
    const [row] = await sql<MessageRecord[]>`SELECT ${columns} FROM ${from}
      WHERE m.sender_id = ${senderId} AND m.client_id = ${clientId}`;
    return row ? toMessage(row) : null;
  };

  const find = async (messageId: number, tx: Sql | postgres.TransactionSql = sql) => {
    const [row] = await tx<
      MessageRecord[]
    >`SELECT ${columns} FROM ${from} WHERE m.id = ${messageId}`;
    return row ? toMessage(row) : null;
  };
  // Taken under the event_sequence row's lock, held until the change commits: seqs become
  // visible in order, as for inserts.
  const nextSeq = async (tx: postgres.TransactionSql) =>
    (await tx<{ last_seq: number }[]>`UPDATE event_sequence SET last_seq = last_seq + 1
      WHERE id = 1 RETURNING last_seq`)[0].last_seq;

  /**
   * One change to a message in one transaction, once per `by`: a repeat finds the message as
   * it is now. `apply` returns false when it changed nothing (then nothing is recorded).
   */
  function change(
    messageId: number,
    by: ChangeBy,
    apply: (tx: postgres.TransactionSql, now: MessageRow) => Promise<boolean>,
  ): Promise<StoredMessage | null | "unchanged"> {
    return sql.begin(async (tx) => {
      // Changes by one user are taken one at a time: a retry racing its first try waits for it.
      await tx`SELECT pg_advisory_xact_lock(${CHANGES_LOCK}, ${by.userId})`;
      const [applied] = await tx<{ message_id: number }[]>`SELECT message_id FROM message_changes
        WHERE user_id = ${by.userId} AND client_id = ${by.clientId}`;
      if (applied) {
        const now = await find(applied.message_id, tx);
        return now && { message: now, duplicate: true };
      }
      const [locked] = await tx`SELECT id FROM messages WHERE id = ${messageId} FOR UPDATE`;
      const now = locked && await find(messageId, tx);
      if (!now) return null;
      if (!(await apply(tx, now))) return "unchanged";
      await tx`INSERT INTO message_changes (user_id, client_id, message_id)
        VALUES (${by.userId}, ${by.clientId}, ${messageId})`;
      return { message: (await find(messageId, tx))!, duplicate: false };
    }) as Promise<StoredMessage | null | "unchanged">;
  }

  /** The rows with their reactions as `reader` sees them. */
  async function withReactions(reader: number, rows: MessageRow[]): Promise<MessageRow[]> {
    if (!rows.length) return rows;
    const found = await sql<{ message_id: number; emoji: string; id: number; username: string }[]>`
      SELECT r.message_id, r.emoji, u.id, u.username FROM reactions r
      JOIN users u ON u.id = r.user_id JOIN messages m ON m.id = r.message_id
      WHERE r.message_id = ANY(${rows.map((row) => row.id)}::bigint[])
      AND (NOT EXISTS (
          SELECT 1 FROM blocks b WHERE b.blocker_id = ${reader} AND b.blocked_id = r.user_id)
        OR EXISTS (
          SELECT 1 FROM conversations dc WHERE dc.id = m.conversation_id AND dc.kind = 'direct'))
      ORDER BY r.message_id, r.created_at, r.user_id`;
    return found.length ? attachReactions(rows, found) : rows;
  }

  let pending: PendingInsert[] = [];
  let writing: Promise<void> | null = null;

  /** Stores the batch's mentions with its messages (none for a duplicate): a CTE, or nothing. */
  function mentionsOf(batch: PendingInsert[]) {
    const ords: number[] = [];
    const users: number[] = [];
    batch.forEach(({ message }, i) => {
      for (const userId of message.mentions ?? []) ords.push(i + 1), users.push(userId);
    });
    if (!users.length) return sql``;
    // Joined with users: one gone since the send was checked is no reason to refuse the message.
    return sql`, mentioned AS (
      INSERT INTO mentions (user_id, conversation_id, message_id)
      SELECT u.id, stored.conversation_id, stored.id
      FROM unnest(${ords}::bigint[], ${users}::bigint[]) AS x(ord, user_id)
      JOIN stored ON stored.seq - (SELECT last_seq FROM s) + ${batch.length} = x.ord
      JOIN users u ON u.id = x.user_id
      ON CONFLICT DO NOTHING
    )`;
  }

  async function write(batch: PendingInsert[]) {
    const n = batch.length;
    const list = <K extends keyof NewMessage>(key: K) => batch.map((p) => p.message[key]);
    let rows: { id: number; seq: number; ord: number }[];
    try {
      rows = await sql<{ id: number; seq: number; ord: number }[]>`
        WITH s AS (
          UPDATE event_sequence SET last_seq = last_seq + ${n} WHERE id = 1 RETURNING last_seq
        ), t AS (
          SELECT * FROM unnest(
            ${list("conversationId")}::bigint[], ${list("senderId")}::bigint[],
            ${list("clientId")}::text[], ${list("text")}::text[], ${list("at")}::bigint[],
            ${batch.map((p) => p.message.replyTo ?? 0)}::bigint[],
            ${batch.map((p) => searchText(p.message.text))}::text[]
          ) WITH ORDINALITY
            AS t(conversation_id, sender_id, client_id, body, created_at, reply_to, words, ord)
        ), stored AS (
          INSERT INTO messages
            (conversation_id, sender_id, client_id, body, created_at, seq, reply_to, search)
          SELECT t.conversation_id, t.sender_id, t.client_id, t.body, t.created_at,
            s.last_seq - ${n} + t.ord, NULLIF(t.reply_to, 0), to_tsvector('simple', t.words)
          FROM t, s ORDER BY t.ord
          ON CONFLICT (sender_id, client_id) DO NOTHING
          RETURNING id, seq, conversation_id
        )${mentionsOf(batch)}
        SELECT id, seq, seq - (SELECT last_seq FROM s) + ${n} AS ord FROM stored`;
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    const stored = new Map(rows.map((row) => [row.ord, row]));
    await Promise.all(batch.map(async ({ message: m, resolve, reject }, i) => {
      const row = stored.get(i + 1);
      const { mentions: _, replyTo: __, ...message } = m;
      if (row) {
        return resolve({ message: { ...message, id: row.id, seq: row.seq }, duplicate: false });
      }
      try {
        resolve({ message: (await byClientId(m.senderId, m.clientId))!, duplicate: true }); // stored before
      } catch (error) {
        reject(error);
      }
    }));
  }

  // One batch in flight per instance; what arrives meanwhile waits for the next.
  function flush() {
    const batch = pending;
    pending = [];
    writing = write(batch).finally(() => {
      writing = null;
      if (pending.length) flush();
    });
  }

  return {
    insert: (message) =>
      new Promise<StoredMessage>((resolve, reject) => {
        pending.push({ message, resolve, reject });
        if (pending.length === 1 && !writing) setTimeout(flush, 0);
      }),
    findByClientId: byClientId,
    history: async (readerId, conversationId, beforeId, limit) => {
      const rows = await sql<MessageRecord[]>`SELECT * FROM (SELECT ${columns},
        ${mentioned(sql, readerId)} FROM ${from}
        WHERE m.conversation_id = ${conversationId} AND m.id < ${beforeId}
        AND ${notBlocked(sql, readerId)} ORDER BY m.id DESC LIMIT ${limit}) AS page ORDER BY id`;
      return withReactions(readerId, rows.map(toMessage));
    },
    newer: async (readerId, conversationId, afterId, limit) => {
      const rows = await sql<MessageRecord[]>`SELECT ${columns}, ${mentioned(sql, readerId)}
        FROM ${from} WHERE m.conversation_id = ${conversationId} AND m.id > ${afterId}
        AND ${notBlocked(sql, readerId)} ORDER BY m.id LIMIT ${limit}`;
      return withReactions(readerId, rows.map(toMessage));
    },
    after: async (readerId, afterSeq, limit) => {
      const rows = await sql<MessageRecord[]>`SELECT ${columns}, ${mentioned(sql, readerId)}
        FROM ${from} JOIN conversations c ON c.id = m.conversation_id
        WHERE m.seq > ${afterSeq}
        AND ${memberOf(sql, readerId)}
        AND ${notBlocked(sql, readerId)} ORDER BY m.seq LIMIT ${limit}`;
      return withReactions(readerId, rows.map(toMessage));
    },
    latest: async (readerId, conversationId) => {
      const [row] = await sql<MessageRecord[]>`SELECT ${columns}, ${mentioned(sql, readerId)}
        FROM ${from}
        WHERE m.conversation_id = ${conversationId} AND ${notBlocked(sql, readerId)}
        ORDER BY m.id DESC LIMIT 1`;
      return row ? (await withReactions(readerId, [toMessage(row)]))[0] : null;
    },
    find,
    edit: async (messageId, text, at, by) => {
      const done = await change(messageId, by, async (tx, now) => {
        if (now.deleted) return false;
        await tx`INSERT INTO message_edits (message_id, version, body, written_at)
          SELECT id, (SELECT COUNT(*) FROM message_edits WHERE message_id = ${messageId}), body,
            COALESCE(edited_at, created_at)
          FROM messages WHERE id = ${messageId}`;
        const seq = await nextSeq(tx);
        await tx`UPDATE messages SET body = ${text}, edited_at = ${at}, seq = ${seq},
          search = to_tsvector('simple', ${searchText(text)}) WHERE id = ${messageId}`;
        return true;
      });
      return done === "unchanged" ? "deleted" : done;
    },
    remove: async (messageId, at, by) => {
      const done = await change(messageId, by, async (tx, now) => {
        if (now.deleted) return false;
        await tx`DELETE FROM message_edits WHERE message_id = ${messageId}`;
        await tx`DELETE FROM reactions WHERE message_id = ${messageId}`;
        const seq = await nextSeq(tx);
        await tx`UPDATE messages SET body = '', edited_at = NULL, deleted_at = ${at},
          seq = ${seq}, search = NULL WHERE id = ${messageId}`;
        return true;
      });
      if (done !== "unchanged") return done;
      return { message: (await find(messageId))!, duplicate: true };
    },
    react: async (messageId, userId, emoji, on, at, by, maxEmoji) => {
      let tooMany = false;
      const done = await change(messageId, by, async (tx, now) => {
        if (now.deleted) return false;
        const [has] = await tx`SELECT 1 FROM reactions
          WHERE message_id = ${messageId} AND emoji = ${emoji} AND user_id = ${userId}`;
        if (!!has === on) return false;
        if (on) {
          const [{ n, used }] = await tx<{ n: number; used: boolean }[]>`
            SELECT COUNT(DISTINCT emoji)::int AS n, COALESCE(BOOL_OR(emoji = ${emoji}), false) AS used
            FROM reactions WHERE message_id = ${messageId}`;
          if (!used && n >= maxEmoji) return !(tooMany = true);
          await tx`INSERT INTO reactions (message_id, user_id, emoji, created_at)
            VALUES (${messageId}, ${userId}, ${emoji}, ${at})`;
        } else {
          await tx`DELETE FROM reactions
            WHERE message_id = ${messageId} AND emoji = ${emoji} AND user_id = ${userId}`;
        }
        const seq = await nextSeq(tx);
        await tx`UPDATE messages SET seq = ${seq} WHERE id = ${messageId}`;
        return true;
      });
      if (tooMany) return "too_many";
      if (done !== "unchanged") return done;
      const now = (await find(messageId))!;
      return now.deleted ? "deleted" : { message: now, duplicate: true };
    },
    earlierTexts: async (messageId) => {
      const rows = await sql<{ body: string; written_at: number }[]>`SELECT body, written_at
        FROM message_edits WHERE message_id = ${messageId} ORDER BY version`;
      return rows.map((row) => ({ text: row.body, at: row.written_at }));
    },
    maxId: async () =>
      (await sql<{ id: number }[]>`SELECT COALESCE(MAX(id), 0) AS id FROM messages`)[0].id,
    lastSeq: async () =>
      (await sql<{ last_seq: number }[]>`SELECT last_seq FROM event_sequence WHERE id = 1`)[0]
        .last_seq,
  };
}
