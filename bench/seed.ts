// Creates benchmark users and logs them in, straight through the store and sessions
// modules (one shared argon2 hash, so that 5000 users do not cost 5000 hashes).
//
// `deno run -A bench/seed.ts <databasePath> <count> <pairs> [roomSize]` prints {users, dm, rooms}
// as JSON, dm being the conversation of each pair of friends (pairs: 0, or count / 2), rooms the
// conversation of each room of roomSize users in a row (absent or 0: no rooms). bench/run.ts
// runs it inside the checkout it benchmarks, so that each commit seeds through its own store API;
// a checkout from before rooms ignores roomSize and prints no rooms.
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

/**
 * Puts users 0…size-1 in one room, the next `size` in the next, and so on, the first of each
 * its owner; returns the rooms' conversation ids in that order. Everyone stays in the Lobby.
 */
export async function seedRooms(
  databasePath: string,
  users: Seeded,
  size: number,
): Promise<number[]> {
  const store = openSqliteStore(databasePath);
  const ids = [];
  for (let first = 0; first < users.length; first += size) {
    const room = await store.rooms.create(
      {
        name: `bench room ${first / size}`,
        topic: "",
        visibility: "private",
        createdBy: users[first].id,
      },
      Date.now(),
    );
    if (typeof room === "string") throw new Error(`room ${first / size}: ${room}`);
    for (const member of users.slice(first + 1, first + size)) {
      const added = await store.rooms.add(room.id, member.id, "member", Date.now());
      if (added !== "added") throw new Error(`room ${first / size}, ${member.username}: ${added}`);
    }
    ids.push(room.id);
  }
  await store.close();
  return ids;
}

if (import.meta.main) {
  const [databasePath, count, pairs, roomSize] = [
    Deno.args[0],
    Number(Deno.args[1]),
    Number(Deno.args[2]),
    Number(Deno.args[3] ?? 0),
  ];
  if (pairs !== 0 && pairs * 2 !== count) throw new Error("pairs must be 0 or count / 2");
  if (roomSize && count % roomSize) throw new Error("count must be a multiple of roomSize");
  const friends = pairs > 0;
  const users = await seedUsers(databasePath, count, friends);
  const dm = friends ? await directConversationIds(databasePath, users) : [];
  const rooms = roomSize ? await seedRooms(databasePath, users, roomSize) : [];
  console.log(JSON.stringify({ users, dm, rooms }));
}
