// SQLite and PostgreSQL find the same messages for the same query on the same data: random
// texts (Latin with diacritics, Cyrillic, Japanese, punctuation, markup) and random queries,
// both stores filled alike, every result list compared (property-based).
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseQuery } from "../../lib/search_text.ts";
import { openPostgresStore } from "../../lib/store/postgres/mod.ts";
import { openSqliteStore } from "../../lib/store/sqlite/mod.ts";
import type { Store } from "../../lib/store/types.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";

const server = await testPostgres();
if (!server && requireServers()) throw new Error("PostgreSQL is required here, and not installed");

const WORDS = [
  "café",
  "Cafe",
  "CAFÉS",
  "deploy",
  "deployment",
  "re-deploy",
  "naïve",
  "привет",
  "Привет",
  "東京タワー",
  "東京",
  "<b>bold</b>",
  "x1",
  "2026",
  "e-mail",
  "emails",
  "the",
  "ﬁne",
];
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 })
  .chain((words) => fc.constantFrom(" ", ", ", "! ", "…").map((gap) => words.join(gap)));
const query = fc.oneof(
  fc.constantFrom(...WORDS).map((w) => w.slice(0, Math.max(2, Math.ceil(w.length / 2)))),
  fc.constantFrom(...WORDS),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `"${a} ${b}"`),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a} ${b}`),
);

async function fill(store: Store, texts: string[]) {
  const alice = (await store.users.create("alice", "not a real hash", 1))!;
  for (const [i, t] of texts.entries()) {
    await store.messages.insert({
      conversationId: LOBBY_ID,
      senderId: alice.id,
      senderName: "alice",
      clientId: `c${i}`,
      text: t,
      at: i,
    });
  }
  return alice;
}

Deno.test({
  name: "SQLite and PostgreSQL find the same messages for the same queries (property)",
  ignore: !server,
  async fn() {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 25 }),
        fc.array(query, { minLength: 1, maxLength: 8 }),
        async (texts, queries) => {
          const dir = await Deno.makeTempDir({ prefix: "ugochat-agree-" });
          const sqlite = openSqliteStore(`${dir}/ugochat.db`);
          await using database = await server!.freshDatabase();
          const postgres = await openPostgresStore(database.url, { poolSize: 2 });
          try {
            const [a, b] = [await fill(sqlite, texts), await fill(postgres, texts)];
            for (const q of queries) {
              const parsed = parseQuery(q);
              if (!("phrases" in parsed)) continue;
              const found = async (store: Store, reader: number) =>
                (await store.search.search(reader, { phrases: parsed.phrases }, 100))
                  .map((m) => m.clientId);
              const inSqlite = await found(sqlite, a.id);
              assert.deepEqual(await found(postgres, b.id), inSqlite, `"${q}" over ${texts}`);
            }
          } finally {
            await sqlite.close();
            await postgres.close();
            await Deno.remove(dir, { recursive: true });
          }
        },
      ),
      { numRuns: 30 },
    );
  },
});
