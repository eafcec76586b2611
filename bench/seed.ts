// Creates benchmark users and logs them in, straight through the store and sessions
// modules (one shared argon2 hash, so that 5000 users do not cost 5000 hashes).
//
// `deno run -A bench/seed.ts <databasePath> <count> <pairs>` prints {users, dm} as JSON, dm
// being the conversation of each pair of friends (pairs: 0, or count / 2). bench/run.ts runs
// it inside the checkout it benchmarks, so that each commit seeds through its own store API.
import { hash } from "@node-rs/argon2";
import { createSessions } from "../lib/sessions.ts";
import { openSqliteStore } from "../lib/store/sqlite/mod.ts";

export type Seeded = { id: number; username: string; cookie: string }[];

/** Creates `count` users with a session each; with `friendsInPairs`, 0–1, 2–3… are friends. */
export async function seedUsers(
  databasePath: string,
  count: number,
  friendsInPairs = false,
): Promise<Seeded> {
  const store = openSqliteStore(databasePath);
  const sessions = createSessions(store);
  const passwordHash = await hash("benchmark password, never used to log in");
  const users: Seeded = [];
  for (let i = 0; i < count; i++) {
    const user = (await store.users.create(`bench${i}`, passwordHash, Date.now()))!;
    const { token } = await sessions.create(user.id);
    users.push({ ...user, cookie: `ugochat_session=${token}` });
  }
  if (friendsInPairs) {
    for (let i = 0; i + 1 < count; i += 2) {
      await store.friends.befriend(users[i].id, users[i + 1].id, Date.now());
      await store.conversations.direct(users[i].id, users[i + 1].id, Date.now());
    }
  }
  await store.close();
  return users;
}

export async function directConversationIds(
  databasePath: string,
  users: Seeded,
): Promise<number[]> {
  const store = openSqliteStore(databasePath);
  const ids = [];
  for (let i = 0; i + 1 < users.length; i += 2) {
    ids.push((await store.conversations.direct(users[i].id, users[i + 1].id, Date.now())).id);
  }
  await store.close();
  return ids;
}

if (import.meta.main) {
  const [databasePath, count, pairs] = [Deno.args[0], Number(Deno.args[1]), Number(Deno.args[2])];
  if (pairs !== 0 && pairs * 2 !== count) throw new Error("pairs must be 0 or count / 2");
  const friends = pairs > 0;
  const users = await seedUsers(databasePath, count, friends);
  const dm = friends ? await directConversationIds(databasePath, users) : [];
  console.log(JSON.stringify({ users, dm }));
}
