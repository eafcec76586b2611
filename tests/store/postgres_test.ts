// The store contract on PostgreSQL: a fresh database per test on a throwaway server.
import { openPostgresStore } from "../../lib/store/postgres/mod.ts";
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
