// Rooms as sentences, on the in-process harness: creating, finding, the directory, renaming
// and deleting; what members see of it live. Membership itself: room_members_test.ts.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { startHarness } from "../helpers/harness.ts";
import { refused } from "../helpers/refused.ts";

Deno.test("a room's creator owns it, and every tab of theirs learns it at once", async () => {
  await using h = await startHarness();
  const { alice } = await h.people("alice");
  const [tab1, tab2] = [await alice.connect(), await alice.connect()];
  const room = await h.services.rooms.create(alice.user, {
    name: "  the five of us ",
    topic: "plans",
    visibility: "private",
  });
  assert.deepEqual(room, {
    id: room.id,
    name: "the five of us",
    topic: "plans",
    visibility: "private",
    memberCount: 1,
    role: "owner",
  });
  for (const tab of [tab1, tab2]) {
    const joined = await tab.waitFor((f) => f.type === "room_joined");
    assert.ok(joined.type === "room_joined");
    assert.deepEqual(joined.conversation, {
      id: room.id,
      kind: "room",
      with: null,
      room: { name: "the five of us", topic: "plans", visibility: "private", role: "owner" },
      lastReadId: 0,
      unread: 0,
      mentions: 0,
      latest: null,
    });
  }
  const fresh = await alice.connect();
  assert.deepEqual(fresh.snapshot.conversations.map((c) => c.id), [LOBBY_ID, room.id]);
});

Deno.test("a room's name is 1 to 64 characters after trimming, one line; its topic at most 256", async () => {
  await using h = await startHarness();
  const { alice } = await h.people("alice");
  const create = (name: string, topic?: string) =>
    h.services.rooms.create(alice.user, { name, topic, visibility: "public" });
  for (const name of ["", "   ", "x".repeat(65), "two\nlines", "bell \u0007", "lone \ud800"]) {
    await refused(create(name), "invalid_input", 400);
  }
  await refused(create("ok", "t".repeat(257)), "invalid_input");
  assert.equal((await create("🐱".repeat(64), "t".repeat(256))).name, "🐱".repeat(64));
});

Deno.test("a private room does not exist for a non-member; a public one shows only what the directory shows", async () => {
  await using h = await startHarness();
  const { alice, carol } = await h.people("alice", "carol");
  const hidden = await alice.createRoom("secret");
  const open = await alice.createRoom("open", "public");
  await refused(h.services.rooms.find(carol.user, hidden), "not_found", 404);
  await refused(h.services.rooms.find(carol.user, 9999), "not_found", 404);
  assert.equal((await h.services.rooms.find(carol.user, open)).role, null);
  for (const id of [hidden, open]) {
    await refused(h.services.messages.history(carol.user, id, 1e15, 10), "not_found");
    await refused(h.services.roomMembers.list(carol.user, id), "not_found");
    await refused(h.services.rooms.update(carol.user, id, { name: "mine" }), "not_found");
    await refused(h.services.rooms.delete(carol.user, id), "not_found");
  }
  const c = await carol.connect();
  for (const id of [hidden, open]) {
    const answer = await c.say(id, "let me in");
    assert.ok(answer.type === "error" && answer.code === "not_found");
    c.write({ type: "typing", conversationId: id });
    c.write({ type: "read", conversationId: id, messageId: 1 });
  }
  await c.settle();
  assert.equal(c.all("error").length, 6);
  assert.ok(c.all("error").every((e) => e.code === "not_found"));
  assert.equal(c.snapshot.conversations.length, 1, "only the Lobby");
});

Deno.test("the directory finds public rooms by name or topic, with member counts and your role", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const chess = await alice.createRoom("Chess", "public");
  await h.services.rooms.update(alice.user, await alice.createRoom("books", "public"), {
    topic: "chess novels",
  });
  await alice.createRoom("chess (private)");
  await h.services.roomMembers.join(bob.user, chess);
  const found = await h.services.rooms.directory(bob.user, " chess ");
  assert.deepEqual(found.map((r) => [r.name, r.memberCount, r.role]), [
    ["Chess", 2, "member"],
    ["books", 1, null],
  ]);
});

Deno.test("the owner and admins rename a room and change its topic; every member sees it, plain members may not", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const room = await alice.createRoom("old", "public");
  await h.services.roomMembers.join(bob.user, room);
  await h.services.roomMembers.join(carol.user, room);
  await h.services.roomMembers.setRole(alice.user, room, bob.id, "admin");
  const c = await carol.connect();
  await h.services.rooms.update(bob.user, room, { name: "new", topic: "fresh" });
  const updated = await c.waitFor((f) => f.type === "room_updated");
  assert.deepEqual(updated, {
    type: "room_updated",
    conversationId: room,
    name: "new",
    topic: "fresh",
  });
  await refused(h.services.rooms.update(carol.user, room, { topic: "mine" }), "not_allowed", 403);
  await refused(h.services.rooms.update(alice.user, room, { name: "" }), "invalid_input");
  const view = await h.services.rooms.update(alice.user, room, { topic: "" });
  assert.deepEqual([view.name, view.topic], ["new", ""]);
});

Deno.test("the owner deletes a room with its messages: every member's tabs see it go, and admins may not", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const room = await alice.createRoom("doomed");
  await alice.invite(room, bob);
  await h.services.roomMembers.setRole(alice.user, room, bob.id, "admin");
  const [b1, b2] = [await bob.connect(), await bob.connect()];
  assert.equal((await b1.say(room, "last words")).type, "ack");
  await refused(h.services.rooms.delete(bob.user, room), "not_allowed");
  await h.services.rooms.delete(alice.user, room);
  for (const tab of [b1, b2]) {
    const gone = await tab.waitFor((f) => f.type === "room_left");
    assert.deepEqual(gone, { type: "room_left", conversationId: room, reason: "deleted" });
  }
  assert.equal(await h.services.store.rooms.find(room), null);
  await refused(h.services.messages.history(bob.user, room, 1e15, 10), "not_found");
  const answer = await b1.say(room, "hello?");
  assert.ok(answer.type === "error" && answer.code === "not_found");
});

Deno.test("limits: rooms a user may create, rooms a user may be in, members a room may hold", async () => {
  await using h = await startHarness({
    ROOMS_PER_USER_CREATED: "2",
    ROOMS_PER_USER: "3",
    MEMBERS_PER_ROOM: "2",
  });
  const { alice, bob, carol, dave } = await h.people("alice", "bob", "carol", "dave");
  const first = await alice.createRoom("one", "public");
  await alice.createRoom("two", "public");
  await refused(alice.createRoom("three"), "too_many_rooms_created", 409);
  for (const name of ["b1", "b2"]) {
    await h.services.roomMembers.join(carol.user, await bob.createRoom(name, "public"));
  }
  await h.services.roomMembers.join(carol.user, first); // her third room, its second member
  await refused(h.services.roomMembers.join(dave.user, first), "room_full", 409);
  await refused(carol.createRoom("mine"), "too_many_rooms", 409);
  await h.services.roomMembers.leave(carol.user, first);
  await h.services.roomMembers.join(dave.user, first);
  assert.equal((await carol.createRoom("mine")) > first, true, "room again under every limit");
});
