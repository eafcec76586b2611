// `deno task bench --only=search [--quick] [--backend=postgres]` runs this in its own process:
// the store's search over a seeded history (1 000 000 messages from 1 000 users in the Lobby,
// 100 rooms and direct conversations; --quick: 100 000). It prints, as one JSON line:
// - p50/p99 of a reader's search for a common word, a rare one, a prefix, from: alone, and a
//   word in:#room, each over SEARCHES readers chosen at random;
// - the index's size as a share of the database's;
// - inserts per second through the store's group commit, with the index kept and without it,
//   measured on fresh databases in the same run (the ratio is the figure: the machine is noisy);
//   on SQLite a write does not index (the server's worker thread does, in the index's own
//   file), and `indexed_per_s` is that catching up's rate.
import { parseQuery } from "../lib/search_text.ts";
import { openPostgresStore } from "../lib/store/postgres/mod.ts";
import { openSearchIndex, searchIndexPath } from "../lib/store/sqlite/search_index.ts";
import { openSqliteStore } from "../lib/store/sqlite/mod.ts";
import type { SearchFilter, Store, User } from "../lib/store/types.ts";
import { LOBBY_ID } from "../lib/wire.ts";

const QUICK = Deno.args.includes("--quick");
const ON_POSTGRES = Deno.args.includes("--backend=postgres");
const MESSAGES = Number(argValue("--messages") ?? (QUICK ? 100_000 : 1_000_000));
const USERS = 1_000;
const ROOMS = 100;
const ROOMS_PER_USER = 10;
const SEARCHES = QUICK ? 30 : 100;
const INSERTS = QUICK ? 20_000 : 50_000; // for the insert cost, on fresh databases
const BATCH = 500; // inserts in flight at once: the group commit takes them together

function argValue(name: string) {
  return Deno.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

// A vocabulary with a long tail, as chat has: a few words in most messages, most words rare.
const COMMON = ["the", "and", "you", "for", "this", "that", "with", "have", "just", "what"];
const SYLLABLES = ["ka", "lo", "mi", "ren", "to", "vash", "el", "qui", "dor", "sa", "nu", "pex"];
const RARE = "zanzibar"; // in one message out of 100 000
let state = 42;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
const VOCABULARY = Array.from({ length: 20_000 }, () => {
  const n = 2 + Math.floor(random() * 3);
  return Array.from({ length: n }, () => pick(SYLLABLES)).join("");
});
// Zipf-like: word k is drawn about 1/k as often as word 1.
const zipf = () => VOCABULARY[Math.floor(VOCABULARY.length ** random()) - 1];

function text(i: number): string {
  const words: string[] = [];
  const n = 4 + Math.floor(random() * 12);
  for (let w = 0; w < n; w++) words.push(random() < 0.3 ? pick(COMMON) : zipf());
  if (i % 100_000 === 50_000) words.push(RARE);
  if (i % 50 === 0) words.push("deployment");
  if (i % 70 === 0) words.push("deploying");
  return words.join(" ");
}

type Fresh = {
  store: Store;
  size: () => Promise<Sizes>;
  close(): Promise<void>;
  dropIndex(): Promise<void>;
  /** Indexes what is queued (SQLite; on PostgreSQL every write indexes). */
  catchUp(): Promise<void>;
};

async function openFresh(): Promise<Fresh> {
  if (ON_POSTGRES) {
    const { testPostgres } = await import("../tests/helpers/postgres.ts");
    const server = (await testPostgres())!;
    const database = await server.freshDatabase();
    const store = await openPostgresStore(database.url, { poolSize: 8 });
    const { connect } = await import("../lib/store/postgres/db.ts");
    const sql = connect(database.url, { poolSize: 1 });
    return {
      store,
      size: async () => {
        const [row] = await sql<{ total: string; index: string; vectors: string }[]>`SELECT
          pg_database_size(current_database()) AS total,
          pg_relation_size('messages_search') AS index,
          (SELECT COALESCE(SUM(pg_column_size(search)), 0) FROM messages) AS vectors`;
        return { total: Number(row.total), index: Number(row.index) + Number(row.vectors) };
      },
      dropIndex: async () => {
        await sql`DROP INDEX messages_search`;
      },
      // Every write indexes; statistics for the planner come as autovacuum would bring them
      // after a bulk load (a rare word's search is a GIN lookup only once they say it is rare).
      catchUp: async () => {
        await sql`ANALYZE messages`;
      },
      async close() {
        await sql.end();
        await store.close();
        await database[Symbol.asyncDispose]();
      },
    };
  }
  const dir = await Deno.makeTempDir({ prefix: "ugochat-bench-search-" });
  const path = `${dir}/ugochat.db`;
  const store = openSqliteStore(path);
  const { DatabaseSync } = await import("node:sqlite");
  return {
    store,
    size: () => {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const rows = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name")
          .all() as { name: string; bytes: number }[];
        const total = rows.reduce((sum, row) => sum + row.bytes, 0);
        // The index's file.
        const search = new DatabaseSync(searchIndexPath(path), { readOnly: true });
        const file = (search.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat").get() as {
          bytes: number;
        }).bytes;
        search.close();
        return Promise.resolve({ total: total + file, index: file });
      } finally {
        db.close();
      }
    },
    catchUp: () => {
      const db = new DatabaseSync(path);
      const index = openSearchIndex(db, path, 5_000);
      index.catchUp();
      index.close();
      db.close();
      return Promise.resolve();
    },
    dropIndex: () => {
      const db = new DatabaseSync(path);
      // What a write pays for search here: nothing but this trigger (the words are indexed
      // later, in their own file, off the writers' path: indexed_per_s).
      db.exec("DROP TRIGGER search_gone_delete");
      db.close();
      return Promise.resolve();
    },
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
type Sizes = { total: number; index: number };

async function seed(store: Store, count: number) {
  const users: User[] = [];
  for (let i = 0; i < USERS; i++) {
    users.push((await store.users.create(`user${i}`, "not a real hash", 1))!);
  }
  const rooms: number[] = [];
  for (let r = 0; r < ROOMS; r++) {
    const owner = users[r % USERS];
    const room = await store.rooms.create(
      { name: `room${r}`, topic: "", visibility: "public", createdBy: owner.id },
      1,
    );
    if (typeof room === "object") rooms.push(room.id);
  }
  const memberOf = new Map<number, number[]>();
  for (const user of users) {
    const mine = new Set<number>();
    while (mine.size < ROOMS_PER_USER) mine.add(pick(rooms));
    for (const room of mine) await store.rooms.add(room, user.id, "member", 2);
    memberOf.set(user.id, [...mine]);
  }
  const directs: [number, User, User][] = [];
  for (let d = 0; d < 200; d++) {
    const [a, b] = [users[d], users[(d * 7 + 13) % USERS]];
    if (a.id === b.id) continue;
    directs.push([(await store.conversations.direct(a.id, b.id, 3)).id, a, b]);
  }
  await insertMessages(store, count, () => {
    const where = random();
    if (where < 0.3) {
      const sender = pick(users);
      return { conversationId: LOBBY_ID, sender };
    }
    if (where < 0.9) {
      const sender = pick(users);
      return { conversationId: pick(memberOf.get(sender.id)!), sender };
    }
    const [id, a, b] = pick(directs);
    return { conversationId: id, sender: random() < 0.5 ? a : b };
  });
  return { users, rooms, memberOf };
}

async function insertMessages(
  store: Store,
  count: number,
  where: (i: number) => { conversationId: number; sender: User },
) {
  const started = performance.now();
  for (let from = 0; from < count; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const { conversationId, sender } = where(i);
      batch.push(store.messages.insert({
        conversationId,
        senderId: sender.id,
        senderName: sender.username,
        clientId: crypto.randomUUID(),
        text: text(i),
        at: 1_700_000_000_000 + i * 1000,
      }));
    }
    await Promise.all(batch);
  }
  return count / ((performance.now() - started) / 1000);
}

/** Inserts per second on a fresh database, with the index or without it. */
async function insertRate(withIndex: boolean): Promise<number> {
  const fresh = await openFresh();
  try {
    if (!withIndex) await fresh.dropIndex();
    const sender = (await fresh.store.users.create("writer", "not a real hash", 1))!;
    // A statement prepared before the triggers went is prepared again by SQLite, without them.
    return await insertMessages(fresh.store, INSERTS, () => ({ conversationId: LOBBY_ID, sender }));
  } finally {
    await fresh.close();
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeQueries(
  store: Store,
  seeded: Awaited<ReturnType<typeof seed>>,
  make: (reader: User) => SearchFilter,
) {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const reader = pick(seeded.users);
    const started = performance.now();
    found += (await store.search.search(reader.id, make(reader), 20)).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    p50_ms: Number(percentile(times, 50).toFixed(2)),
    p99_ms: Number(percentile(times, 99).toFixed(2)),
    results_per_search: Number((found / SEARCHES).toFixed(1)),
  };
}

const phrases = (q: string) => {
  const parsed = parseQuery(q);
  if (!("phrases" in parsed)) throw new Error(parsed.problem);
  return parsed.phrases;
};

const insertWith = await insertRate(true);
const insertWithout = await insertRate(false);
const main = await openFresh();
try {
  const seedStart = performance.now();
  const seeded = await seed(main.store, MESSAGES);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // On SQLite the index catches up off the writers' path (the server's worker thread): how
  // long that takes here is the indexing's own cost.
  const indexStart = performance.now();
  await main.catchUp();
  const indexSeconds = (performance.now() - indexStart) / 1000;
  const { total, index } = await main.size();
  const queries = {
    common_word: await timeQueries(main.store, seeded, () => ({ phrases: phrases("the") })),
    rare_word: await timeQueries(main.store, seeded, () => ({ phrases: phrases(RARE) })),
    prefix: await timeQueries(main.store, seeded, () => ({ phrases: phrases("deplo") })),
    from_only: await timeQueries(main.store, seeded, () => ({
      phrases: [],
      senderId: pick(seeded.users).id,
    })),
    word_in_room: await timeQueries(main.store, seeded, (reader) => ({
      phrases: phrases("deployment"),
      conversationId: pick(seeded.memberOf.get(reader.id)!),
    })),
  };
  console.log(JSON.stringify({
    backend: ON_POSTGRES ? "postgres" : "sqlite",
    messages: MESSAGES,
    seed_seconds: Number(seedSeconds.toFixed(1)),
    catch_up_seconds: Number(indexSeconds.toFixed(1)),
    indexed_per_s: ON_POSTGRES ? null : Math.round(MESSAGES / indexSeconds), // PostgreSQL: with each write
    database_mib: Number((total / 2 ** 20).toFixed(1)),
    index_mib: Number((index / 2 ** 20).toFixed(1)),
    index_share: Number((index / total).toFixed(3)),
    inserts_per_s_with_index: Math.round(insertWith),
    inserts_per_s_without_index: Math.round(insertWithout),
    insert_ratio: Number((insertWith / insertWithout).toFixed(3)),
    queries,
  }));
} finally {
  await main.close();
}
Deno.exit(0);
