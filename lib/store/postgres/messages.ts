// Messages, and the one event sequence they travel on. Inserts that arrive while a batch is
// being written share the next one (group commit): one statement takes the batch's seqs from
// the event_sequence row and inserts its messages. That row stays locked until the statement
// commits, so batches from every instance take seqs and commit one after another: a seq is
// never visible before a lower one (tests/store/postgres_test.ts shows a reader never misses one).
import type { MessageStore, NewMessage, StoredMessage } from "../types.ts";
import type { Sql } from "./db.ts";
import {
  memberOf,
  mentioned,
  messageColumns,
  type MessageRecord,
  notBlocked,
  toMessage,
} from "./sql.ts";

type PendingInsert = {
  message: NewMessage;
  resolve: (stored: StoredMessage) => void;
  reject: (e: unknown) => void;
};

export function pgMessages(sql: Sql): MessageStore {
  const columns = messageColumns(sql);
  const byClientId = async (senderId: number, clientId: string) => {
    const [row] = await sql<MessageRecord[]>`SELECT ${columns} FROM messages m
      JOIN users u ON u.id = m.sender_id
      WHERE m.sender_id = ${senderId} AND m.client_id = ${clientId}`;
    return row ? toMessage(row) : null;
  };

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
            ${list("clientId")}::text[], ${list("text")}::text[], ${list("at")}::bigint[]
          ) WITH ORDINALITY AS t(conversation_id, sender_id, client_id, body, created_at, ord)
        ), stored AS (
          INSERT INTO messages (conversation_id, sender_id, client_id, body, created_at, seq)
          SELECT t.conversation_id, t.sender_id, t.client_id, t.body, t.created_at,
            s.last_seq - ${n} + t.ord
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
      const { mentions: _, ...message } = m;
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
        ${mentioned(sql, readerId)} FROM messages m
        JOIN users u ON u.id = m.sender_id
        WHERE m.conversation_id = ${conversationId} AND m.id < ${beforeId}
        AND ${notBlocked(sql, readerId)} ORDER BY m.id DESC LIMIT ${limit}) AS page ORDER BY id`;
      return rows.map(toMessage);
    },
    after: async (readerId, afterSeq, limit) => {
      const rows = await sql<MessageRecord[]>`SELECT ${columns}, ${mentioned(sql, readerId)}
        FROM messages m JOIN users u ON u.id = m.sender_id JOIN conversations c ON c.id = m.conversation_id
        WHERE m.seq > ${afterSeq}
        AND ${memberOf(sql, readerId)}
        AND ${notBlocked(sql, readerId)} ORDER BY m.seq LIMIT ${limit}`;
      return rows.map(toMessage);
    },
    latest: async (readerId, conversationId) => {
      const [row] = await sql<MessageRecord[]>`SELECT ${columns}, ${mentioned(sql, readerId)}
        FROM messages m JOIN users u ON u.id = m.sender_id
        WHERE m.conversation_id = ${conversationId} AND ${notBlocked(sql, readerId)}
        ORDER BY m.id DESC LIMIT 1`;
      return row ? toMessage(row) : null;
    },
    maxId: async () =>
      (await sql<{ id: number }[]>`SELECT COALESCE(MAX(id), 0) AS id FROM messages`)[0].id,
    lastSeq: async () =>
      (await sql<{ last_seq: number }[]>`SELECT last_seq FROM event_sequence WHERE id = 1`)[0]
        .last_seq,
  };
}
