// Rooms across instances: real server processes on one PostgreSQL and one Redis, a room whose
// members are on different instances. Its messages cross; a removal on one instance stops
// delivery on the other at once.
import assert from "node:assert/strict";
import { createClient } from "../helpers/client.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";
import { type ServerProcess, spawnServer } from "../helpers/server.ts";
import { befriend, openChat } from "../helpers/socket.ts";
import { sleep } from "../helpers/wait.ts";

const postgres = await testPostgres();
if (!postgres && requireServers()) {
  throw new Error("PostgreSQL is required here, and not installed");
}
const skip = !postgres || withoutRedis;
if (!postgres) {
  console.warn("SKIPPED: the multi-instance room tests (no PostgreSQL binaries found)");
}

async function cluster(count: number) {
  const database = await postgres!.freshDatabase();
  const redis = await startRedis();
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `rooms-${crypto.randomUUID().slice(0, 8)}`,
    PRESENCE_GRACE_MS: "200",
  };
  const instances: ServerProcess[] = [];
  for (let i = 0; i < count; i++) instances.push(await spawnServer(shared));
  return {
    instances,
    async [Symbol.asyncDispose]() {
      await Promise.all(instances.map((instance) => instance[Symbol.asyncDispose]()));
      await redis.stop();
      await database[Symbol.asyncDispose]();
    },
  };
}

/** The same person, now using another instance (sessions are in the database). */
function on(instance: ServerProcess, client: ReturnType<typeof createClient>) {
  const moved = createClient(instance.origin);
  for (const [name, value] of client.jar) moved.jar.set(name, value);
  return moved;
}

Deno.test({
  name:
    "two instances: a room's messages and typing cross to its members only; a removal on one stops delivery on the other",
  ignore: skip,
  async fn() {
    await using c = await cluster(2);
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const bob = createClient(two.origin);
    await bob.register("bob");
    const carol = createClient(two.origin);
    await carol.register("carol");
    await befriend(alice, "alice", bob, "bob");

    await using a = await openChat(one.origin, alice);
    await using b2 = await openChat(two.origin, bob);
    await using b1 = await openChat(one.origin, on(one, bob)); // bob's other tab, on one
    await using outsider = await openChat(two.origin, carol);

    const created = await alice.post("/api/rooms", { name: "across", visibility: "private" });
    assert.equal(created.status, 201);
    const room = (await created.json()).room.id;
    const invited = await alice.post(`/api/rooms/${room}/members`, { username: "bob" });
    assert.equal(invited.status, 201, await invited.text());
    for (const tab of [b1, b2]) await tab.waitFor((f) => f.type === "room_joined");

    await a.say(room, "from one");
    for (const tab of [b1, b2]) {
      await tab.waitFor((f) => f.type === "message" && f.message.text === "from one");
    }
    await b2.say(room, "from two");
    await a.waitFor((f) => f.type === "message" && f.message.text === "from two");
    // A mention crosses too, marked for bob's tabs on both instances and for nobody else.
    await a.say(room, "@bob across");
    for (const tab of [b1, b2]) {
      const got = await tab.waitFor((f) =>
        f.type === "message" && f.message.text === "@bob across"
      );
      assert.ok(got.type === "message" && got.message.mentioned, "marked for bob");
    }
    const own = await a.waitFor((f) => f.type === "message" && f.message.text === "@bob across");
    assert.ok(own.type === "message" && !own.message.mentioned);
    b2.send({ type: "typing", conversationId: room });
    await a.waitFor((f) => f.type === "typing" && f.conversationId === room);

    // Removed through one: bob's tab on two stops receiving the room at once.
    const removed = await alice.request(
      "DELETE",
      `/api/rooms/${room}/members/${b2.snapshot.me.id}`,
    );
    assert.equal(removed.status, 204);
    for (const tab of [b1, b2]) {
      await tab.waitFor((f) => f.type === "room_left" && f.reason === "removed");
    }
    await a.say(room, "after the removal");
    await a.say(room, "and again");
    await sleep(500);
    for (const tab of [b1, b2]) {
      const inRoom = tab.all("message").filter((f) => f.message.conversationId === room);
      assert.deepEqual(inRoom.map((f) => f.message.text), ["from one", "from two", "@bob across"]);
    }
    const history = await bob.get(`/api/conversations/${room}/messages`);
    assert.equal(history.status, 404, "no history on the other instance either");
    await history.body?.cancel();
    const answer = await b2.say(room, "still here?");
    assert.ok(answer.type === "error" && answer.code === "not_found");
    assert.equal(outsider.all("message").length, 0, "a non-member on two received nothing");
  },
});

Deno.test({
  name:
    "two instances: a room deleted on one disappears live on the other, and the owner's hand-off crosses",
  ignore: skip,
  async fn() {
    await using c = await cluster(2);
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const bob = createClient(two.origin);
    await bob.register("bob");
    const created = await alice.post("/api/rooms", { name: "public", visibility: "public" });
    const room = (await created.json()).room.id;
    await using b = await openChat(two.origin, bob);
    assert.equal((await bob.post(`/api/rooms/${room}/join`)).status, 200);
    await b.waitFor((f) => f.type === "room_joined");
    assert.equal((await alice.post(`/api/rooms/${room}/leave`)).status, 204);
    const handed = await b.waitFor((f) => f.type === "room_member" && f.change === "role");
    assert.ok(handed.type === "room_member" && handed.member.role === "owner");
    const second = await (await alice.post("/api/rooms", { name: "doomed", visibility: "public" }))
      .json();
    assert.equal((await bob.post(`/api/rooms/${second.room.id}/join`)).status, 200);
    await b.waitFor((f) => f.type === "room_joined" && f.conversation.id === second.room.id);
    assert.equal((await alice.request("DELETE", `/api/rooms/${second.room.id}`)).status, 204);
    await b.waitFor((f) => f.type === "room_left" && f.reason === "deleted");
  },
});
