// The server as a real process, stopped and started again over one database.
import assert from "node:assert/strict";
import { CLOSE } from "../lib/protocol.ts";
import { LOBBY_ID } from "../lib/wire.ts";
import { type Client, createClient } from "./helpers/client.ts";
import { SHARED_PRESENCE } from "./helpers/backend.ts";
import { spawnServer } from "./helpers/server.ts";
import { befriend, openChat } from "./helpers/socket.ts";

/** Moves a client's cookies to a restarted server (same database, new port). */
function movedTo(origin: string, client: Client): Client {
  const moved = createClient(origin);
  for (const [name, value] of client.jar) moved.jar.set(name, value);
  return moved;
}

Deno.test("after a restart the acknowledged message is there and its retry does not duplicate it", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-restart-" });
  const first = await spawnServer({}, { dataDir });
  const alice = createClient(first.origin);
  await alice.register("alice");
  const clientId = crypto.randomUUID();
  let ack;
  {
    const a = await openChat(first.origin, alice);
    ack = await a.say(LOBBY_ID, "survives restarts", clientId);
    assert.equal(ack.type, "ack");
    const closed = a.closed;
    assert.equal((await first.stop("SIGTERM")).code, 0);
    assert.equal((await closed).code, CLOSE.GOING_AWAY, "sockets are closed with 1001 on shutdown");
  }
  await using second = await spawnServer({}, { dataDir });
  const again = movedTo(second.origin, alice);
  await using a = await openChat(second.origin, again, { after: 0 });
  assert.deepEqual(a.all("message").map((f) => f.message.text), ["survives restarts"]);
  const retry = await a.say(LOBBY_ID, "survives restarts", clientId);
  assert.deepEqual(retry, ack, "the same acknowledgement");
  const { messages } = await (await again.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.equal(messages.length, 1);
});

Deno.test("after a crash and restart, nobody is shown online who is not connected", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-crash-" });
  const env = { PRESENCE_GRACE_MS: "200", PRESENCE_TTL_S: "3" };
  const first = await spawnServer(env, { dataDir });
  const alice = createClient(first.origin);
  const bob = createClient(first.origin);
  await alice.register("alice");
  await bob.register("bob");
  await befriend(alice, "alice", bob, "bob");
  const a = await openChat(first.origin, alice);
  const b = await openChat(first.origin, bob);
  await a.waitFor((f) => f.type === "presence" && f.online);
  await first.stop("SIGKILL");
  await Promise.all([a.closed, b.closed]);
  await using second = await spawnServer(env, { dataDir });
  await using back = await openChat(second.origin, movedTo(second.origin, alice));
  const bobOnline = back.snapshot.friends.find((f) => f.username === "bob")?.online;
  if (!SHARED_PRESENCE) return assert.equal(bobOnline, false);
  // Shared through Redis, the killed process's hold on bob lapses within the TTL instead.
  if (bobOnline) await back.waitFor((f) => f.type === "presence" && !f.online, 6000);
});
