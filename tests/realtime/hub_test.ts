import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

Deno.test("a resync reaches every socket of this process, one still in its handshake once live", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const live = await alice.connect();
  const opening = bob.open(); // in the hub, handshake still running
  h.services.hub.resync();
  await live.waitFor((f) => f.type === "resync");
  await opening.waitFor((f) => f.type === "resync");
  const types = opening.frames.map((f) => f.type);
  assert.ok(types.indexOf("caught_up") < types.indexOf("resync"), types.join(", "));
});

const said = (conversationId: number, text: string) => ({
  type: "message" as const,
  message: {
    id: 1,
    seq: 1,
    conversationId,
    sender: { id: 1, username: "x" },
    text,
    at: 1,
    clientId: "c",
  },
});
const left = (conversationId: number) => ({
  type: "room_left" as const,
  conversationId,
  reason: "removed" as const,
});

Deno.test("a room's events reach the sockets of those who joined it, from the join to the leave", async () => {
  await using h = await startHarness();
  const { events } = h.services;
  const { alice, bob } = await h.people("alice", "bob");
  const [a, b1, b2] = [await alice.connect(), await bob.connect(), await bob.connect()];
  events.membership(bob.id, 99, true, { type: "room_left", conversationId: 98, reason: "left" });
  events.toConversation(99, said(99, "for the members"));
  for (const tab of [b1, b2]) await tab.waitFor((f) => f.type === "message");
  await a.settle();
  assert.equal(a.all("message").length, 0, "not a member: nothing");
  events.membership(bob.id, 99, false, left(99));
  events.toConversation(99, said(99, "after bob left"));
  for (const tab of [b1, b2]) {
    await tab.settle();
    assert.deepEqual(tab.all("message").map((f) => f.message.text), ["for the members"]);
    assert.equal(tab.all("room_left").length, 2);
  }
});

Deno.test("a membership change heard during the handshake wins over the rooms it read", async () => {
  await using h = await startHarness();
  const { store, events, hub } = h.services;
  const { alice, bob } = await h.people("alice", "bob");
  const room = await store.rooms.create(
    { name: "r", topic: "", visibility: "private", createdBy: alice.id },
    1,
  );
  assert.ok(typeof room === "object");
  await store.rooms.add(room.id, bob.id, "member", 2);
  const opening = bob.open(); // its handshake has not read bob's rooms yet
  events.membership(bob.id, room.id, false, left(room.id)); // as if removed just now
  await opening.waitFor((f) => f.type === "caught_up");
  const [connection] = hub.connectionsOf(bob.id);
  assert.equal(hub.receives(connection, room.id), false, "the read from before is stale");
  const stays = await alice.connect();
  assert.equal(hub.receives([...hub.connectionsOf(alice.id)][0], room.id), true);
  events.toConversation(room.id, said(room.id, "bob is gone"));
  await stays.waitFor((f) => f.type === "message");
  await opening.settle();
  assert.equal(opening.all("message").length, 0);
  assert.equal(opening.all("room_left").length, 1, "the removal itself arrives, once live");
});

Deno.test("a closed socket leaves its rooms", async () => {
  await using h = await startHarness();
  const { events } = h.services;
  const { bob } = await h.people("bob");
  const b = await bob.connect();
  events.membership(bob.id, 7, true, left(6));
  await b.settle();
  const [connection] = h.services.hub.connectionsOf(bob.id);
  assert.equal(h.services.hub.receives(connection, 7), true);
  b.close();
  assert.equal(h.services.hub.receives(connection, 7), false);
});

Deno.test("a room's frame for some of its members reaches them only while they are in it", async () => {
  await using h = await startHarness();
  const { events } = h.services;
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  events.membership(alice.id, 77, true, left(76));
  events.membership(bob.id, 77, true, left(76));
  // carol is named but not in the room (she left after being mentioned, say): nothing for her.
  events.toConversation(77, said(77, "for bob and carol"), undefined, [], [bob.id, carol.id]);
  await b.waitFor((f) => f.type === "message");
  for (const tab of [a, c]) {
    await tab.settle();
    assert.equal(tab.all("message").length, 0);
  }
});
