// The store contract on PostgreSQL: a fresh database per test on a throwaway server.
import { openPostgresStore } from "../../lib/store/postgres/mod.ts";
import { connect, migrate } from "../../lib/store/postgres/db.ts";
import { PG_MIGRATIONS } from "../../lib/store/postgres/migrations.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { storeContract } from "./contract.ts";

const server = await testPostgres();
if (!server && requireServers()) throw new Error("PostgreSQL is required here, and not installed");
if (!server) console.warn("SKIPPED: the PostgreSQL store tests (no PostgreSQL binaries found)");

storeContract("postgres", async () => {
  const database = await server!.freshDatabase();
  const store = await openPostgresStore(database.url, { poolSize: 4 });
  return {
    store,
    async [Symbol.asyncDispose]() {
      await store.close();
      await database[Symbol.asyncDispose]();
    },
  };
}, { ignore: !server });

Deno.test({
  name: "postgres store: two instances sending at once never make a reader miss a message",
  ignore: !server,
  async fn() {
    await using database = await server!.freshDatabase();
    const [a, b, reading] = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore(database.url, { poolSize: 4 })),
    );
    try {
      const senders = [];
      for (let i = 0; i < 8; i++) senders.push((await a.users.create(`s${i}`, "h", 1))!);
      const reader = (await a.users.create("reader", "h", 1))!;
      let sending = true;
      // Each sender sends through both instances in turn, as fast as each commit comes back.
      const sends = Promise.all(senders.map(async (sender, i) => {
        for (let k = 0; k < 40; k++) {
          await (k % 2 === i % 2 ? a : b).messages.insert({
            conversationId: LOBBY_ID,
            senderId: sender.id,
            senderName: sender.username,
            clientId: crypto.randomUUID(),
            text: `${sender.username} ${k}`,
            at: Date.now(),
          });
        }
      })).finally(() => sending = false);
      // Meanwhile a reader follows with its cursor, as a resuming client does.
      let cursor = 0;
      const seen: number[] = [];
      const follow = async () => {
        for (const row of await reading.messages.after(reader.id, cursor, 10_000)) {
          assert.ok(row.seq > cursor, `seq ${row.seq} came after the cursor ${cursor}`);
          cursor = row.seq;
          seen.push(row.id);
        }
      };
      while (sending) await follow();
      await sends;
      await follow();
      const all = await reading.messages.after(reader.id, 0, 10_000);
      assert.equal(all.length, 8 * 40);
      assert.deepEqual(seen, all.map((row) => row.id), "the reader saw every message, in order");
    } finally {
      await Promise.all([a, b, reading].map((store) => store.close()));
    }
  },
});

Deno.test({
  name: "postgres store: migrating a database from before search indexes its messages",
  ignore: !server,
  async fn() {
    await using database = await server!.freshDatabase();
    const sql = connect(database.url, { poolSize: 1 });
    try {
      await migrate(sql, PG_MIGRATIONS.filter((m) => m.version <= 5));
      await sql`INSERT INTO users (id, username, password_hash, created_at) VALUES (1, 'alice', 'h', 1)`;
      await sql`INSERT INTO messages (id, conversation_id, sender_id, client_id, body, created_at, seq, deleted_at)
        VALUES (1, 1, 1, 'c1', 'Crème brûlée tonight', 6, 1, NULL), (2, 1, 1, 'c2', '', 7, 2, 9),
               (3, 1, 1, 'c3', 'creme again', 8, 3, NULL)`;
      await migrate(sql);
      const found = async (query: string) =>
        (await sql<{ id: number }[]>`SELECT id FROM messages WHERE search @@ ${query}::tsquery
          ORDER BY id`).map((row) => Number(row.id));
      assert.deepEqual(await found("'creme'"), [1, 3]);
      assert.deepEqual(await found("'brul':*"), [1]);
      assert.deepEqual(await found("'again'"), [3]);
    } finally {
      await sql.end();
    }
  },
});
