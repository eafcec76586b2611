// Who is in a room, as sentences on the in-process harness: invitations, joining, leaving,
// roles, removals; where a room's messages and typing go; presence in the member list.
import assert from "node:assert/strict";
import { applyEvent, LOBBY_ID } from "../../lib/wire.ts";
import { startHarness } from "../helpers/harness.ts";
import { refused } from "../helpers/refused.ts";

Deno.test("only friends can be invited, and not across a block either way", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, dave } = await h.people("alice", "bob", "carol", "dave");
  const room = await alice.createRoom("friends only");
  await refused(alice.invite(room, bob), "not_friends", 403);
  await alice.befriend(carol);
  await carol.block(alice);
  await refused(alice.invite(room, carol), "blocked", 403);
  await alice.befriend(dave);
  await alice.block(dave);
  await refused(alice.invite(room, dave), "blocked", 403);
  await refused(h.services.roomMembers.invite(alice.user, room, "nobody"), "no_such_user", 404);
  await refused(h.services.roomMembers.invite(alice.user, room, "alice"), "already_member", 409);
  assert.equal((await h.services.roomMembers.list(alice.user, room)).length, 1);
});

Deno.test("the invited sees the room at once on every tab, and the members see them join", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const room = await alice.createRoom("watercooler");
  const a = await alice.connect();
  const [b1, b2] = [await bob.connect(), await bob.connect()];
  const member = await alice.invite(room, bob);
  assert.deepEqual(
    { ...member, joinedAt: 0 },
    {
      id: bob.id,
      username: "bob",
      role: "member",
      joinedAt: 0,
      presence: { online: true, lastSeenAt: null },
    },
  );
  for (const tab of [b1, b2]) {
    const joined = await tab.waitFor((f) => f.type === "room_joined");
    assert.ok(joined.type === "room_joined" && joined.conversation.room?.role === "member");
  }
  const seen = await a.waitFor((f) => f.type === "room_member");
  assert.ok(seen.type === "room_member" && seen.change === "joined" && seen.member.id === bob.id);
  assert.equal(seen.member.presence, undefined, "events carry no presence");
  await refused(alice.invite(room, bob), "already_member");
});

Deno.test("in a private room the owner and admins invite; in a public room any member does", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  await bob.befriend(carol);
  const hidden = await alice.createRoom("private");
  await alice.invite(hidden, bob);
  await refused(bob.invite(hidden, carol), "not_allowed", 403);
  await h.services.roomMembers.setRole(alice.user, hidden, bob.id, "admin");
  await bob.invite(hidden, carol);
  const open = await alice.createRoom("public", "public");
  await h.services.roomMembers.join(bob.user, open);
  await bob.invite(open, carol);
  assert.deepEqual((await h.services.roomMembers.list(carol.user, open)).map((m) => m.role), [
    "owner",
    "member",
    "member",
  ]);
});

Deno.test("anyone joins a public room, nobody a private one; joining again changes nothing", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const open = await alice.createRoom("open", "public");
  const hidden = await alice.createRoom("hidden");
  const b = await bob.connect();
  assert.equal(await h.services.roomMembers.join(bob.user, open), "member");
  await b.waitFor((f) => f.type === "room_joined" && f.conversation.id === open);
  assert.equal(await h.services.roomMembers.join(bob.user, open), "member");
  await b.settle();
  assert.equal(b.all("room_joined").length, 1);
  await refused(h.services.roomMembers.join(bob.user, hidden), "not_found", 404);
});

Deno.test("a room's messages reach its members' sockets only, every tab, once", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const room = await alice.createRoom("open", "public");
  await h.services.roomMembers.join(bob.user, room);
  const [a, b1, b2, c] = [
    await alice.connect(),
    await bob.connect(),
    await bob.connect(),
    await carol.connect(),
  ];
  const ack = await a.say(room, "members only");
  assert.equal(ack.type, "ack");
  for (const tab of [a, b1, b2]) {
    const got = await tab.waitFor((f) => f.type === "message");
    assert.ok(got.type === "message" && got.message.conversationId === room);
  }
  await c.settle();
  assert.equal(c.all("message").length, 0, "a connected non-member receives nothing");
  assert.equal((await c.say(room, "me too")).type, "error");
  const unread = (await bob.connect()).snapshot.conversations.find((x) => x.id === room);
  assert.equal(unread?.unread, 1);
});

Deno.test("a room message never reaches a member who blocked its sender, nor their history", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const room = await alice.createRoom("open", "public");
  await h.services.roomMembers.join(bob.user, room);
  await h.services.roomMembers.join(carol.user, room);
  await alice.block(bob);
  const [a, c, b] = [await alice.connect(), await carol.connect(), await bob.connect()];
  await b.say(room, "from bob");
  await c.waitFor((f) => f.type === "message");
  await a.settle();
  assert.equal(a.all("message").length, 0);
  assert.deepEqual(await h.services.messages.history(alice.user, room, 1e15, 10), []);
  assert.equal((await h.services.messages.history(carol.user, room, 1e15, 10)).length, 1);
});

Deno.test("typing in a room reaches its other members only, and never across a block", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, dave } = await h.people("alice", "bob", "carol", "dave");
  const room = await alice.createRoom("open", "public");
  for (const p of [bob, carol]) await h.services.roomMembers.join(p.user, room);
  await carol.block(alice);
  const [a, b, c, d] = [
    await alice.connect(),
    await bob.connect(),
    await carol.connect(),
    await dave.connect(),
  ];
  a.write({ type: "typing", conversationId: room });
  const typing = await b.waitFor((f) => f.type === "typing");
  assert.ok(typing.type === "typing" && typing.conversationId === room);
  for (const socket of [a, c, d]) await socket.settle();
  assert.deepEqual([a, c, d].map((s) => s.all("typing").length), [0, 0, 0]);
});

Deno.test("a removed member stops receiving at once on every tab, and cannot read or send any more", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const room = await alice.createRoom("watercooler");
  await alice.invite(room, bob);
  const a = await alice.connect();
  const [b1, b2] = [await bob.connect(), await bob.connect()];
  await h.services.roomMembers.remove(alice.user, room, bob.id);
  await a.say(room, "bob has gone");
  for (const tab of [b1, b2]) {
    await tab.settle();
    assert.deepEqual(tab.all("room_left"), [
      { type: "room_left", conversationId: room, reason: "removed" },
    ]);
    assert.equal(tab.all("message").length, 0, "not even the message sent right after");
  }
  const seen = await a.waitFor((f) => f.type === "room_member" && f.change === "removed");
  assert.ok(seen.type === "room_member" && seen.member.id === bob.id);
  await refused(h.services.messages.history(bob.user, room, 1e15, 10), "not_found");
  const answer = await b1.say(room, "let me back");
  assert.ok(answer.type === "error" && answer.code === "not_found");
  assert.equal((await bob.connect()).snapshot.conversations.length, 1, "only the Lobby now");
});

Deno.test("an admin removes plain members only, a member nobody but themselves; the owner anyone", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, dave } = await h.people("alice", "bob", "carol", "dave");
  const room = await alice.createRoom("open", "public");
  for (const p of [bob, carol, dave]) await h.services.roomMembers.join(p.user, room);
  await h.services.roomMembers.setRole(alice.user, room, bob.id, "admin");
  await h.services.roomMembers.setRole(alice.user, room, carol.id, "admin");
  const { remove, setRole } = h.services.roomMembers;
  await refused(remove(bob.user, room, alice.id), "not_allowed", 403);
  await refused(remove(bob.user, room, carol.id), "not_allowed");
  await refused(remove(dave.user, room, carol.id), "not_allowed");
  await refused(setRole(bob.user, room, dave.id, "admin"), "not_allowed");
  await refused(setRole(alice.user, room, alice.id, "member"), "not_allowed");
  await refused(remove(alice.user, room, 9999), "not_found");
  await remove(bob.user, room, dave.id);
  await remove(alice.user, room, carol.id);
  await remove(bob.user, room, bob.id); // leaving
  assert.deepEqual((await h.services.roomMembers.list(alice.user, room)).map((m) => m.username), [
    "alice",
  ]);
});

Deno.test("the last owner leaving makes the longest-standing admin the owner, and the members see it", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, dave } = await h.people("alice", "bob", "carol", "dave");
  const room = await alice.createRoom("open", "public");
  for (const p of [bob, carol, dave]) await h.services.roomMembers.join(p.user, room);
  await h.services.roomMembers.setRole(alice.user, room, dave.id, "admin");
  await h.services.roomMembers.setRole(alice.user, room, carol.id, "admin");
  const [a, d] = [await alice.connect(), await dave.connect()];
  const c = await carol.connect();
  await h.services.roomMembers.leave(alice.user, room);
  await a.waitFor((f) => f.type === "room_left");
  const handed = await d.waitFor((f) => f.type === "room_member" && f.change === "role");
  assert.ok(handed.type === "room_member" && handed.member.username === "carol");
  assert.equal(handed.member.role, "owner");
  await c.waitFor((f) => f.type === "room_member" && f.change === "role");
  const mine = (await carol.connect()).snapshot.conversations.find((x) => x.id === room);
  assert.equal(mine?.room?.role, "owner");
  await h.services.rooms.delete(carol.user, room); // the owner now
});

Deno.test("an empty room is deleted with its messages; the Lobby cannot be left", async () => {
  await using h = await startHarness();
  const { alice } = await h.people("alice");
  const room = await alice.createRoom("alone");
  const a = await alice.connect();
  await a.say(room, "talking to myself");
  await h.services.roomMembers.leave(alice.user, room);
  assert.equal(await h.services.store.rooms.find(room), null);
  await refused(h.services.roomMembers.leave(alice.user, LOBBY_ID), "not_allowed", 403);
  await refused(h.services.roomMembers.leave(alice.user, room), "not_found", 404);
});

Deno.test("the member list shows presence for the viewer's friends only: for others none at all", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  const room = await alice.createRoom("open", "public");
  for (const p of [bob, carol]) await h.services.roomMembers.join(p.user, room);
  await bob.connect();
  await carol.connect();
  const list = await h.services.roomMembers.list(alice.user, room);
  assert.deepEqual(list.map((m) => [m.username, m.presence?.online]), [
    ["alice", undefined],
    ["bob", true],
    ["carol", undefined],
  ]);
  assert.ok(!("presence" in list[2]), "carol is not alice's friend: not even offline");
});

Deno.test("resume delivers room messages missed while offline, and nothing from a room left", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const kept = await alice.createRoom("kept", "public");
  const left = await alice.createRoom("left", "public");
  for (const id of [kept, left]) await h.services.roomMembers.join(bob.user, id);
  const a = await alice.connect();
  const b = await bob.connect();
  const cursor = b.all("caught_up")[0].seq;
  b.close();
  await h.services.roomMembers.leave(bob.user, left);
  await a.say(kept, "while bob was away");
  await a.say(left, "in the room bob left");
  const back = await bob.connect({ after: cursor });
  assert.deepEqual(back.all("message").map((f) => f.message.text), ["while bob was away"]);
  assert.deepEqual(back.snapshot.conversations.map((c) => c.id), [LOBBY_ID, kept]);
});

Deno.test("room changes are paced per user", async () => {
  await using h = await startHarness({ ROOM_CHANGES_PER_MIN: "2" });
  const { alice } = await h.people("alice");
  const room = await alice.createRoom("one");
  await h.services.rooms.update(alice.user, room, { topic: "two" });
  await refused(h.services.rooms.update(alice.user, room, { topic: "three" }), "rate_limited", 429);
});

Deno.test("a snapshot plus the room events since equals a fresh snapshot", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  const b = await bob.connect();
  const start = b.frames.length;
  const kept = await alice.createRoom("kept");
  await alice.invite(kept, bob);
  const open = await carol.createRoom("open", "public");
  await h.services.roomMembers.join(bob.user, open);
  await h.services.roomMembers.join(alice.user, open);
  const [a, c] = [await alice.connect(), await carol.connect()];
  await a.say(kept, "hello bob");
  await c.say(open, "hello all");
  await h.services.rooms.update(alice.user, kept, { name: "renamed", topic: "news" });
  await h.services.roomMembers.setRole(alice.user, kept, bob.id, "admin");
  await h.services.roomMembers.leave(carol.user, open); // bob, the longest-standing, owns it
  await bob.block(carol); // what his rooms show changes
  const gone = await alice.createRoom("gone");
  await alice.invite(gone, bob);
  await h.services.rooms.delete(alice.user, gone);
  await b.settle();
  const replayed = b.frames.slice(start).reduce(applyEvent, b.snapshot);
  const fresh = (await bob.connect()).snapshot;
  const byId = (s: typeof fresh) => [...s.conversations].sort((x, y) => x.id - y.id);
  assert.deepEqual(byId(replayed), byId(fresh));
  assert.deepEqual(fresh.conversations.map((x) => x.room?.role), [undefined, "admin", "owner"]);
});
