// Copies a SQLite database into PostgreSQL, table by table, inside one PostgreSQL transaction
// and one SQLite read transaction (a consistent snapshot, even while the app runs). Rows that
// are already there are skipped, so running it again copies only what is new; ids are kept,
// and the identities and the event sequence are moved past what was copied.
import { Buffer } from "node:buffer";
import { DatabaseSync } from "node:sqlite";
import type postgres from "postgres";
import { indexAll } from "./postgres/search.ts";
import { connect, migrate } from "./postgres/db.ts";

type Tx = postgres.TransactionSql;
import { openDatabase } from "./sqlite/db.ts";

/** Each table, its columns, and what makes a row the same row (ON CONFLICT). */
const TABLES = [
  {
    name: "users",
    columns: [
      "id",
      "username",
      "password_hash",
      "created_at",
      "last_seen_at",
      "appear_offline",
      "send_receipts",
    ],
    key: "(id)",
  },
  {
    name: "sessions",
    columns: ["token_hash", "user_id", "created_at", "last_seen_at", "expires_at"],
    key: "(token_hash)",
  },
  { name: "friend_requests", columns: ["from_id", "to_id", "created_at"], key: "(from_id, to_id)" },
  {
    name: "friendships",
    columns: ["user_id", "friend_id", "created_at"],
    key: "(user_id, friend_id)",
  },
  {
    name: "blocks",
    columns: ["blocker_id", "blocked_id", "created_at"],
    key: "(blocker_id, blocked_id)",
  },
  {
    name: "conversations",
    columns: ["id", "kind", "user_low", "user_high", "created_at"],
    key: "(id)",
  },
  {
    name: "rooms",
    columns: ["conversation_id", "name", "topic", "visibility", "created_by", "created_at"],
    key: "(conversation_id)",
  },
  {
    name: "room_members",
    columns: ["conversation_id", "user_id", "role", "joined_at"],
    key: "(conversation_id, user_id)",
  },
  {
    name: "messages",
    columns: [
      "id",
      "conversation_id",
      "sender_id",
      "client_id",
      "body",
      "created_at",
      "seq",
      "edited_at",
      "deleted_at",
      "reply_to",
    ],
    key: "(id)",
  },
  {
    name: "message_edits",
    columns: ["message_id", "version", "body", "written_at"],
    key: "(message_id, version)",
  },
  {
    name: "reactions",
    columns: ["message_id", "user_id", "emoji", "created_at"],
    key: "(message_id, emoji, user_id)",
  },
  {
    name: "message_changes",
    columns: ["user_id", "client_id", "message_id"],
    key: "(user_id, client_id)",
  },
  {
    name: "mentions",
    columns: ["user_id", "conversation_id", "message_id"],
    key: "(user_id, conversation_id, message_id)",
  },
  {
    name: "read_positions",
    columns: ["user_id", "conversation_id", "last_read_id", "read_at", "seq"],
    key: "(user_id, conversation_id)",
  },
] as const;
const BATCH = 2000;

export type CopyReport = { table: string; source: number; copied: number; target: number }[];

export async function copyToPostgres(sqlitePath: string, postgresUrl: string): Promise<CopyReport> {
  openDatabase(sqlitePath).close(); // brings an older file's schema up to date first
  const source = new DatabaseSync(sqlitePath, { readOnly: true });
  const sql = connect(postgresUrl, { poolSize: 1 });
  try {
    await migrate(sql);
    source.exec("BEGIN"); // one snapshot of every table
    return await sql.begin(async (tx) => {
      const report: CopyReport = [];
      for (const table of TABLES) report.push(await copyTable(source, tx, table));
      await moveSequencesPast(source, tx);
      await indexAll(tx); // the search index, from the copied texts
      await tx`ANALYZE messages`; // the planner's statistics: a rare word found through the index
      return report;
    });
  } finally {
    if (source.isTransaction) source.exec("ROLLBACK");
    source.close();
    await sql.end({ timeout: 5 });
  }
}

async function copyTable(
  source: DatabaseSync,
  tx: Tx,
  table: (typeof TABLES)[number],
): Promise<CopyReport[number]> {
  const columns = table.columns.join(", ");
  const order = table.key.slice(1, -1); // every table is ordered by its key: pages are stable
  const page = source.prepare(
    `SELECT ${columns} FROM ${table.name} ORDER BY ${order} LIMIT ? OFFSET ?`,
  );
  let copied = 0;
  let sourceCount = 0;
  for (let offset = 0;; offset += BATCH) {
    const rows = page.all(BATCH, offset) as Record<string, unknown>[];
    if (rows.length === 0) break;
    sourceCount += rows.length;
    const values = rows.map((row) =>
      table.columns.map((column) => {
        const value = row[column];
        if (column === "appear_offline" || column === "send_receipts") return value === 1;
        if (value instanceof Uint8Array) return Buffer.from(value);
        return value;
      })
    );
    const result = await tx.unsafe(
      `INSERT INTO ${table.name} (${columns}) VALUES ${
        values.map((row, r) => `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(", ")})`)
          .join(", ")
      } ON CONFLICT ${table.key} DO NOTHING`,
      values.flat() as never[],
    );
    copied += result.count;
  }
  const [{ n }] = await tx.unsafe<{ n: number }[]>(`SELECT COUNT(*) AS n FROM ${table.name}`);
  return { table: table.name, source: sourceCount, copied, target: n };
}

async function moveSequencesPast(source: DatabaseSync, tx: Tx) {
  for (const table of ["users", "conversations", "messages"]) {
    await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'),
      (SELECT GREATEST(COALESCE(MAX(id), 0), 1) FROM ${table}))`);
  }
  const row = source.prepare("SELECT last_seq FROM event_sequence WHERE id = 1").get() as
    | { last_seq: number }
    | undefined;
  await tx`UPDATE event_sequence SET last_seq = GREATEST(last_seq, ${row?.last_seq ?? 0},
    (SELECT COALESCE(MAX(seq), 0) FROM messages)) WHERE id = 1`;
}
