// The store contract: what every backend guarantees, as sentences. Each backend's test file
// calls storeContract with a way to open a fresh, empty store.
import assert from "node:assert/strict";
import { parseQuery } from "../../lib/search_text.ts";
import type {
  NewMessage,
  NewRoom,
  RoomRow,
  SearchFilter,
  Store,
  User,
} from "../../lib/store/types.ts";
import { LOBBY_ID } from "../../lib/wire.ts";

const parseQueryOk = (query: string) => {
  const parsed = parseQuery(query);
  assert.ok("phrases" in parsed, `a query: ${query}`);
  return parsed;
};

export type OpenFreshStore = () => Promise<
  { store: Store; [Symbol.asyncDispose](): Promise<void> }
>;

export function storeContract(
  backend: string,
  open: OpenFreshStore,
  options: { ignore?: boolean } = {},
) {
  const it = (sentence: string, body: (store: Store) => Promise<void>) =>
    Deno.test({
      name: `${backend} store: ${sentence}`,
      ignore: options.ignore,
      async fn() {
        await using opened = await open();
        await body(opened.store);
      },
    });

  const people = async (store: Store, ...names: string[]): Promise<User[]> => {
    const users = [];
    for (const name of names) users.push((await store.users.create(name, `hash-${name}`, 1))!);
    return users;
  };
  const say = (
    store: Store,
    from: User,
    conversationId: number,
    text: string,
    clientId?: string,
    mentions?: number[],
  ) =>
    store.messages.insert(
      {
        conversationId,
        senderId: from.id,
        senderName: from.username,
        clientId: clientId ?? crypto.randomUUID(),
        text,
        at: Date.now(),
        ...(mentions ? { mentions } : {}),
      } satisfies NewMessage,
    );
  const texts = (rows: { text: string }[]) => rows.map((row) => row.text);
  const room = async (
    store: Store,
    owner: User,
    fields: Partial<NewRoom> = {},
    now = 10,
  ): Promise<RoomRow> => {
    const made = await store.rooms.create(
      { name: "watercooler", topic: "", visibility: "private", createdBy: owner.id, ...fields },
      now,
    );
    assert.ok(typeof made === "object", `created: ${made}`);
    return made;
  };
  const roles = async (store: Store, roomId: number) =>
    (await store.rooms.members(roomId)).map((m) => `${m.username}:${m.role}`);

  // ---- users ----
  it("a taken name gives null, and the first owner keeps it", async (store) => {
    const first = await store.users.create("alice", "h1", 1);
    assert.ok(first);
    assert.equal(await store.users.create("alice", "h2", 2), null);
    const found = await store.users.findByName("alice");
    assert.deepEqual(found, { id: first.id, username: "alice", passwordHash: "h1" });
    assert.deepEqual(await store.users.findById(first.id), found);
    assert.equal(await store.users.findByName("nobody"), null);
  });

  it("asking for a name no user can have (a NUL, any Unicode) finds nobody, and does not fail", async (store) => {
    await people(store, "alice");
    for (const name of ["ali\0ce", "\0", "ålice😀", " ".repeat(300)]) {
      assert.equal(await store.users.findByName(name), null, JSON.stringify(name));
    }
  });

  it("a new user starts with the Lobby read up to its latest message", async (store) => {
    const [alice] = await people(store, "alice");
    const { message } = await say(store, alice, LOBBY_ID, "before bob came");
    const [bob] = await people(store, "bob");
    assert.equal(await store.reads.position(bob.id, LOBBY_ID), message.id);
    assert.equal(await store.reads.unreadCount(bob.id, LOBBY_ID, message.id, 10), 0);
  });

  it("presence fields are kept, and an unknown user has none", async (store) => {
    const [alice] = await people(store, "alice");
    assert.deepEqual(await store.users.presenceFields(alice.id), {
      lastSeenAt: null,
      appearOffline: false,
    });
    await store.users.setLastSeen(alice.id, 1234);
    await store.users.setAppearOffline(alice.id, true);
    assert.deepEqual(await store.users.presenceFields(alice.id), {
      lastSeenAt: 1234,
      appearOffline: true,
    });
    assert.deepEqual(await store.users.presenceFields(9999), {
      lastSeenAt: null,
      appearOffline: false,
    });
  });

  // ---- sessions ----
  it("deleting a user's sessions keeps the one named and returns the others' hashes", async (store) => {
    const [alice] = await people(store, "alice");
    const hash = (n: number) => new Uint8Array(32).fill(n);
    for (const n of [1, 2, 3]) {
      await store.sessions.insert({
        tokenHash: hash(n),
        userId: alice.id,
        createdAt: 1,
        lastSeenAt: 1,
        expiresAt: 10,
      });
    }
    await store.sessions.touch(hash(1), 5);
    assert.equal((await store.sessions.find(hash(1)))?.lastSeenAt, 5);
    const deleted = await store.sessions.deleteAllOf(alice.id, hash(1));
    assert.deepEqual(deleted.map((h) => h[0]).sort(), [2, 3]);
    assert.ok(await store.sessions.find(hash(1)));
    assert.equal(await store.sessions.find(hash(2)), null);
    await store.sessions.delete(hash(1));
    assert.equal(await store.sessions.find(hash(1)), null);
  });

  // ---- friends and blocks ----
  it("befriending is symmetric and consumes the requests both ways", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    await store.friends.request(alice.id, bob.id, 1);
    await store.friends.request(alice.id, bob.id, 2); // asking twice is one request
    assert.deepEqual(await store.friends.incoming(bob.id), [{ id: alice.id, username: "alice" }]);
    assert.deepEqual(await store.friends.outgoing(alice.id), [{ id: bob.id, username: "bob" }]);
    assert.equal((await store.friends.relationship(bob.id, alice.id)).bAskedA, true);
    await store.friends.befriend(bob.id, alice.id, 3);
    assert.equal(await store.friends.areFriends(alice.id, bob.id), true);
    assert.equal(await store.friends.areFriends(bob.id, alice.id), true);
    assert.deepEqual(await store.friends.incoming(bob.id), []);
    assert.deepEqual((await store.friends.friendsOf(alice.id)).map((f) => f.username), ["bob"]);
    assert.equal(await store.friends.unfriend(bob.id, alice.id), true);
    assert.equal(await store.friends.areFriends(alice.id, bob.id), false);
    assert.equal(await store.friends.unfriend(bob.id, alice.id), false);
  });

  it("a block ends the friendship and the requests between the two", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    await store.friends.befriend(alice.id, bob.id, 1);
    await store.friends.request(carol.id, alice.id, 1);
    await store.blocks.block(alice.id, bob.id, 2);
    await store.blocks.block(alice.id, carol.id, 2);
    const rel = await store.friends.relationship(alice.id, bob.id);
    assert.deepEqual(rel, {
      friends: false,
      aAskedB: false,
      bAskedA: false,
      aBlockedB: true,
      bBlockedA: false,
    });
    assert.deepEqual(await store.friends.incoming(alice.id), []);
    assert.deepEqual((await store.blocks.blockedBy(alice.id)).map((u) => u.username), [
      "bob",
      "carol",
    ]);
    assert.deepEqual((await store.blocks.all()).sort(), [[alice.id, bob.id], [alice.id, carol.id]]);
    assert.equal(await store.blocks.unblock(alice.id, bob.id), true);
    assert.equal(await store.blocks.unblock(alice.id, bob.id), false);
  });

  // ---- conversations ----
  it("the direct conversation of two people is one, whichever of them asks", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const first = await store.conversations.direct(alice.id, bob.id, 1);
    const again = await store.conversations.direct(bob.id, alice.id, 2);
    assert.deepEqual([first.created, again.created], [true, false]);
    assert.equal(first.id, again.id);
    assert.deepEqual(await store.conversations.findFor(bob.id, first.id), {
      id: first.id,
      kind: "direct",
      with: { id: alice.id, username: "alice" },
      room: null,
    });
    assert.equal(await store.conversations.findFor(carol.id, first.id), null);
    assert.deepEqual((await store.conversations.listFor(carol.id)).map((c) => c.kind), ["lobby"]);
    assert.deepEqual((await store.conversations.listFor(alice.id)).map((c) => c.kind), [
      "lobby",
      "direct",
    ]);
    const members = await store.conversations.members(first.id);
    assert.deepEqual(members?.members.map((m) => m.username).sort(), ["alice", "bob"]);
    assert.deepEqual(await store.conversations.members(LOBBY_ID), { kind: "lobby", members: [] });
    assert.equal(await store.conversations.members(9999), null);
  });

  // ---- rooms ----
  it("creating a room makes its creator the owner and its only member", async (store) => {
    const [alice] = await people(store, "alice");
    const made = await room(store, alice, { name: "the five of us", topic: "plans" }, 42);
    assert.deepEqual(made, {
      id: made.id,
      name: "the five of us",
      topic: "plans",
      visibility: "private",
      createdBy: alice.id,
      createdAt: 42,
    });
    assert.deepEqual(await store.rooms.find(made.id), made);
    assert.deepEqual(await store.rooms.members(made.id), [
      { id: alice.id, username: "alice", role: "owner", joinedAt: 42 },
    ]);
    assert.deepEqual(await store.conversations.findFor(alice.id, made.id), {
      id: made.id,
      kind: "room",
      with: null,
      room: { name: "the five of us", topic: "plans", visibility: "private", role: "owner" },
    });
    assert.deepEqual(await store.conversations.members(made.id), {
      kind: "room",
      members: [{ id: alice.id, username: "alice" }],
    });
    assert.equal(await store.reads.position(alice.id, made.id), 0);
  });

  it("a room is invisible to a non-member, public or private: findFor is null", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const hidden = await room(store, alice);
    const open = await room(store, alice, { name: "open", visibility: "public" });
    for (const id of [hidden.id, open.id]) {
      assert.equal(await store.conversations.findFor(bob.id, id), null);
    }
    assert.deepEqual((await store.conversations.listFor(bob.id)).map((c) => c.kind), ["lobby"]);
    assert.deepEqual((await store.conversations.listFor(alice.id)).map((c) => c.id), [
      LOBBY_ID,
      hidden.id,
      open.id,
    ]);
    assert.equal(await store.rooms.member(hidden.id, bob.id), null);
    assert.deepEqual(await store.rooms.roomIdsOf(bob.id), []);
    assert.deepEqual(await store.rooms.roomIdsOf(alice.id), [hidden.id, open.id]);
  });

  it("members are listed with their roles in the order they joined; adding one twice is one", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const made = await room(store, alice, {}, 10);
    assert.equal(await store.rooms.add(made.id, carol.id, "member", 12), "added");
    assert.equal(await store.rooms.add(made.id, bob.id, "admin", 11), "added"); // a clock back
    assert.equal(await store.rooms.add(made.id, bob.id, "member", 13), "already_member");
    assert.equal(await store.rooms.add(made.id, alice.id, "member", 13), "already_member");
    assert.equal(await store.rooms.add(9999, bob.id, "member", 13), "no_room");
    assert.deepEqual(await roles(store, made.id), ["alice:owner", "carol:member", "bob:admin"]);
    const joined = (await store.rooms.members(made.id)).map((m) => m.joinedAt);
    assert.deepEqual(joined, [10, 12, 13], "strictly increasing, whatever the clock said");
    const seenByBob = await store.conversations.findFor(bob.id, made.id);
    assert.equal(seenByBob?.room?.role, "admin");
  });

  it("a new member starts with the room read up to its latest message", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const made = await room(store, alice);
    await say(store, alice, made.id, "before bob came");
    const { message } = await say(store, alice, made.id, "still before");
    await store.rooms.add(made.id, bob.id, "member", 20);
    assert.equal(await store.reads.position(bob.id, made.id), message.id);
    assert.equal(await store.reads.unreadCount(bob.id, made.id, message.id, 10), 0);
    assert.deepEqual(texts(await store.messages.history(bob.id, made.id, 1e15, 10)), [
      "before bob came",
      "still before",
    ]);
  });

  it("a room's name and topic change, each alone or both", async (store) => {
    const [alice] = await people(store, "alice");
    const made = await room(store, alice, { name: "old", topic: "old topic" });
    assert.equal((await store.rooms.update(made.id, { name: "new" }))?.topic, "old topic");
    assert.equal((await store.rooms.update(made.id, { topic: "" }))?.name, "new");
    const both = await store.rooms.update(made.id, { name: "both", topic: "changed" });
    assert.deepEqual([both?.name, both?.topic], ["both", "changed"]);
    assert.equal(await store.rooms.update(9999, { name: "nowhere" }), null);
  });

  it("roles change for admins and members; the owner's changes only by leaving", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    assert.equal(await store.rooms.setRole(made.id, bob.id, "admin"), true);
    assert.equal(await store.rooms.setRole(made.id, alice.id, "member"), false);
    assert.equal(await store.rooms.setRole(made.id, carol.id, "admin"), false, "not a member");
    assert.deepEqual(await roles(store, made.id), ["alice:owner", "bob:admin"]);
    assert.equal(await store.rooms.setRole(made.id, bob.id, "member"), true);
    assert.deepEqual(await roles(store, made.id), ["alice:owner", "bob:member"]);
  });

  it("the last owner leaving makes the longest-standing admin the owner", async (store) => {
    const [alice, bob, carol, dave] = await people(store, "alice", "bob", "carol", "dave");
    const made = await room(store, alice, {}, 10);
    await store.rooms.add(made.id, bob.id, "member", 11);
    await store.rooms.add(made.id, carol.id, "admin", 12);
    await store.rooms.add(made.id, dave.id, "admin", 13);
    const departure = await store.rooms.leave(made.id, alice.id);
    assert.deepEqual(departure, {
      left: true,
      newOwner: { id: carol.id, username: "carol", role: "owner", joinedAt: 12 },
      deleted: false,
    });
    assert.deepEqual(await roles(store, made.id), ["bob:member", "carol:owner", "dave:admin"]);
    assert.equal(await store.conversations.findFor(alice.id, made.id), null);
  });

  it("with no admin, the owner leaving makes the longest-standing member the owner", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const made = await room(store, alice, {}, 10);
    await store.rooms.add(made.id, bob.id, "member", 10); // the same millisecond
    await store.rooms.add(made.id, carol.id, "member", 10);
    assert.equal((await store.rooms.leave(made.id, alice.id)).newOwner?.username, "bob");
    const plain = await store.rooms.leave(made.id, carol.id);
    assert.deepEqual(plain, { left: true, newOwner: null, deleted: false });
    assert.deepEqual(await roles(store, made.id), ["bob:owner"]);
    assert.deepEqual(await store.rooms.leave(made.id, carol.id), {
      left: false,
      newOwner: null,
      deleted: false,
    });
  });

  it("an empty room is deleted with its messages", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    await say(store, bob, made.id, "bye");
    await store.rooms.leave(made.id, bob.id);
    const last = await store.rooms.leave(made.id, alice.id);
    assert.deepEqual(last, { left: true, newOwner: null, deleted: true });
    assert.equal(await store.rooms.find(made.id), null);
    assert.equal(await store.conversations.members(made.id), null);
    assert.deepEqual(await store.messages.history(alice.id, made.id, 1e15, 10), []);
    assert.deepEqual(await store.rooms.members(made.id), []);
  });

  it("deleting a room takes its messages, members and read positions; its id is not given again", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    const { message } = await say(store, bob, made.id, "soon gone");
    await store.reads.markRead(alice.id, made.id, message.id);
    assert.equal(await store.rooms.delete(made.id), true);
    assert.equal(await store.rooms.delete(made.id), false);
    assert.equal(await store.rooms.delete(LOBBY_ID), false, "the Lobby is not a room");
    assert.equal(await store.rooms.find(made.id), null);
    assert.equal(await store.reads.position(alice.id, made.id), null);
    assert.equal(await store.messages.findByClientId(bob.id, message.clientId), null);
    assert.deepEqual(await store.rooms.roomIdsOf(bob.id), []);
    const next = await room(store, alice, { name: "again" });
    assert.ok(next.id > made.id, `a new id (${next.id} after ${made.id})`);
    assert.ok((await store.conversations.direct(alice.id, bob.id, 1)).id > next.id);
  });

  it("leaving forgets the read position: coming back starts read up to the latest", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    await store.reads.markRead(bob.id, made.id, 1);
    await store.rooms.leave(made.id, bob.id);
    assert.equal(await store.reads.position(bob.id, made.id), null);
    const { message } = await say(store, alice, made.id, "while bob was away");
    await store.rooms.add(made.id, bob.id, "member", 12);
    assert.equal(await store.reads.position(bob.id, made.id), message.id);
  });

  it("resume replays a room's messages only to its current members", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    await say(store, alice, made.id, "first");
    await say(store, bob, LOBBY_ID, "in the lobby");
    await say(store, bob, made.id, "second");
    assert.deepEqual(texts(await store.messages.after(bob.id, 0, 10)), [
      "first",
      "in the lobby",
      "second",
    ]);
    assert.deepEqual(texts(await store.messages.after(carol.id, 0, 10)), ["in the lobby"]);
    await store.rooms.leave(made.id, bob.id);
    assert.deepEqual(texts(await store.messages.after(bob.id, 0, 10)), ["in the lobby"]);
    await store.rooms.add(made.id, carol.id, "member", 12);
    assert.deepEqual(
      texts(await store.messages.after(carol.id, 0, 10)),
      ["first", "in the lobby", "second"],
      "a member reads the room's past too",
    );
  });

  it("history, latest and unread hide room messages from senders the reader blocked", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const made = await room(store, alice);
    await store.rooms.add(made.id, bob.id, "member", 11);
    await store.rooms.add(made.id, carol.id, "member", 12);
    const start = (await store.reads.position(alice.id, made.id))!;
    await say(store, carol, made.id, "carol speaks");
    await say(store, bob, made.id, "bob speaks");
    await store.blocks.block(alice.id, bob.id, 2);
    assert.deepEqual(texts(await store.messages.history(alice.id, made.id, 1e15, 10)), [
      "carol speaks",
    ]);
    assert.equal((await store.messages.latest(alice.id, made.id))?.text, "carol speaks");
    assert.equal(await store.reads.unreadCount(alice.id, made.id, start, 10), 1);
    assert.deepEqual(texts(await store.messages.after(alice.id, 0, 10)), ["carol speaks"]);
    assert.equal((await store.messages.latest(carol.id, made.id))?.text, "bob speaks");
  });

  it("a full room admits nobody more, and a user in as many rooms as allowed joins no other", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const small = await room(store, alice);
    const caps = { membersPerRoom: 2, roomsPerUser: 2 };
    assert.equal(await store.rooms.add(small.id, bob.id, "member", 11, caps), "added");
    assert.equal(await store.rooms.add(small.id, carol.id, "member", 12, caps), "room_full");
    const other = await room(store, carol, { name: "other" });
    const third = await room(store, carol, { name: "third" });
    assert.equal(await store.rooms.add(other.id, bob.id, "member", 13, caps), "added");
    assert.equal(await store.rooms.add(third.id, bob.id, "member", 14, caps), "too_many_rooms");
    assert.equal(await store.rooms.countJoinedBy(bob.id), 2);
    assert.deepEqual(await store.rooms.roomIdsOf(bob.id), [small.id, other.id]);
  });

  it("a creator at a cap creates nothing", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const fields = { name: "r", topic: "", visibility: "private" as const, createdBy: alice.id };
    await store.rooms.create(fields, 1, { createdPerUser: 2 });
    const second = await store.rooms.create(fields, 2, { createdPerUser: 2 });
    assert.equal(typeof second, "object");
    assert.equal(
      await store.rooms.create(fields, 3, { createdPerUser: 2 }),
      "too_many_created",
    );
    assert.equal(await store.rooms.countCreatedBy(alice.id), 2);
    await store.rooms.add((second as RoomRow).id, bob.id, "member", 4);
    assert.equal(
      await store.rooms.create({ ...fields, createdBy: bob.id }, 5, { roomsPerUser: 1 }),
      "too_many_rooms",
    );
    assert.equal(await store.rooms.delete((second as RoomRow).id), true);
    assert.equal(await store.rooms.countCreatedBy(alice.id), 1, "a deleted room counts no more");
  });

  it("joins racing each other cannot pass a cap together", async (store) => {
    const names = Array.from({ length: 12 }, (_, i) => `user${i}`);
    const [owner, ...others] = await people(store, "owner", ...names);
    const made = await room(store, owner);
    const caps = { membersPerRoom: 5 };
    const results = await Promise.all(
      others.map((user, i) => store.rooms.add(made.id, user.id, "member", 20 + i, caps)),
    );
    assert.equal(results.filter((r) => r === "added").length, 4);
    assert.equal((await store.rooms.members(made.id)).length, 5);
    assert.equal(await store.rooms.countMembers(made.id), 5);
    assert.equal(await store.rooms.countMembers(9999), 0);
  });

  it("owners and admins leaving at once leave exactly one owner among those who stay", async (store) => {
    const names = Array.from({ length: 8 }, (_, i) => `user${i}`);
    const [owner, ...others] = await people(store, "owner", ...names);
    const made = await room(store, owner);
    for (const [i, user] of others.entries()) {
      await store.rooms.add(made.id, user.id, i < 4 ? "admin" : "member", 20 + i);
    }
    const leaving = [owner, ...others.slice(0, 5)];
    await Promise.all(leaving.map((user) => store.rooms.leave(made.id, user.id)));
    const left = await store.rooms.members(made.id);
    assert.deepEqual(left.map((m) => m.username), ["user5", "user6", "user7"]);
    assert.deepEqual(left.map((m) => m.role), ["owner", "member", "member"]);
  });

  it("the directory lists public rooms by name or topic, with member counts, the fullest first", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const chess = await room(store, alice, { name: "chess", visibility: "public" });
    const books = await room(store, alice, {
      name: "books",
      topic: "Chess novels and more",
      visibility: "public",
    });
    await room(store, alice, { name: "chess club (secret)" });
    await room(store, alice, { name: "100% fun", visibility: "public" });
    await store.rooms.add(books.id, bob.id, "member", 11);
    const found = await store.rooms.listPublic("CHESS", 10);
    assert.deepEqual(found.map((r) => [r.name, r.memberCount]), [["books", 2], ["chess", 1]]);
    assert.deepEqual(found[1], { ...chess, memberCount: 1 });
    assert.deepEqual((await store.rooms.listPublic("", 10)).map((r) => r.name), [
      "books",
      "100% fun",
      "chess",
    ]);
    assert.deepEqual((await store.rooms.listPublic("0%", 10)).map((r) => r.name), ["100% fun"]);
    assert.deepEqual(await store.rooms.listPublic("c_ess", 10), [], "_ is no wildcard");
    assert.equal((await store.rooms.listPublic("", 2)).length, 2);
  });

  // ---- messages and the event sequence ----
  it("a repeated clientId returns the first message, marked duplicate", async (store) => {
    const [alice] = await people(store, "alice");
    const clientId = crypto.randomUUID();
    const first = await say(store, alice, LOBBY_ID, "hello", clientId);
    const again = await say(store, alice, LOBBY_ID, "hello, edited retry", clientId);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.message, first.message);
    assert.deepEqual(await store.messages.findByClientId(alice.id, clientId), first.message);
    assert.deepEqual(texts(await store.messages.history(alice.id, LOBBY_ID, 1e15, 10)), ["hello"]);
  });

  it("repeats inside one batch store one message", async (store) => {
    const [alice] = await people(store, "alice");
    const clientId = crypto.randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => say(store, alice, LOBBY_ID, "x", clientId)),
    );
    assert.deepEqual(results.map((r) => r.duplicate), [false, true, true]);
    assert.ok(results.every((r) => r.message.id === results[0].message.id));
  });

  it("sequence numbers become visible in increasing order", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const { id: direct } = await store.conversations.direct(alice.id, bob.id, 1);
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      // Sends in flight together, as from many sockets at once.
      const stored = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) => say(store, i % 2 ? alice : bob, i % 3 ? LOBBY_ID : direct, `r${round} m${i}`),
        ),
      );
      const lastSeq = await store.messages.lastSeq();
      assert.equal(lastSeq, Math.max(...stored.map((s) => s.message.seq)));
      const replay = await store.messages.after(alice.id, seen.at(-1) ?? 0, 1000);
      assert.equal(replay.length, 20, "every change after the cursor is replayed once");
      for (const row of replay) seen.push(row.seq);
    }
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], "strictly increasing");
  });

  it("replay after a seq gives only the reader's conversations, in order, up to the limit", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const { id: ab } = await store.conversations.direct(alice.id, bob.id, 1);
    await say(store, alice, LOBBY_ID, "lobby 1");
    await say(store, alice, ab, "private to bob");
    await say(store, bob, LOBBY_ID, "lobby 2");
    assert.deepEqual(texts(await store.messages.after(carol.id, 0, 10)), ["lobby 1", "lobby 2"]);
    const bobs = await store.messages.after(bob.id, 0, 10);
    assert.deepEqual(texts(bobs), ["lobby 1", "private to bob", "lobby 2"]);
    assert.deepEqual(texts(await store.messages.after(bob.id, bobs[0].seq, 1)), [
      "private to bob",
    ]);
  });

  it("history hides Lobby messages from senders the reader blocked, not direct ones", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const { id: ab } = await store.conversations.direct(alice.id, bob.id, 1);
    await say(store, bob, LOBBY_ID, "bob in the lobby");
    await say(store, bob, ab, "bob in private");
    await say(store, alice, LOBBY_ID, "alice in the lobby");
    await store.blocks.block(alice.id, bob.id, 2);
    assert.deepEqual(texts(await store.messages.history(alice.id, LOBBY_ID, 1e15, 10)), [
      "alice in the lobby",
    ]);
    assert.deepEqual(texts(await store.messages.history(alice.id, ab, 1e15, 10)), [
      "bob in private",
    ]);
    assert.deepEqual(texts(await store.messages.after(alice.id, 0, 10)), [
      "bob in private",
      "alice in the lobby",
    ]);
    assert.equal((await store.messages.latest(alice.id, LOBBY_ID))?.text, "alice in the lobby");
    // bob did not block alice: he sees everything
    assert.equal((await store.messages.history(bob.id, LOBBY_ID, 1e15, 10)).length, 2);
  });

  it("history pages backwards by id and returns each page oldest first", async (store) => {
    const [alice] = await people(store, "alice");
    for (let i = 1; i <= 5; i++) await say(store, alice, LOBBY_ID, `m${i}`);
    const newest = await store.messages.history(alice.id, LOBBY_ID, 1e15, 2);
    assert.deepEqual(texts(newest), ["m4", "m5"]);
    const older = await store.messages.history(alice.id, LOBBY_ID, newest[0].id, 2);
    assert.deepEqual(texts(older), ["m2", "m3"]);
    assert.equal(await store.messages.maxId(), newest[1].id);
  });

  it("history pages forwards by id from any message, oldest first, hiding as history does", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const ids = [];
    for (let i = 1; i <= 5; i++) {
      ids.push((await say(store, i === 4 ? bob : alice, LOBBY_ID, `m${i}`)).message.id);
    }
    assert.deepEqual(texts(await store.messages.newer(alice.id, LOBBY_ID, ids[1], 2)), [
      "m3",
      "m4",
    ]);
    assert.deepEqual(texts(await store.messages.newer(alice.id, LOBBY_ID, ids[3], 2)), ["m5"]);
    assert.deepEqual(await store.messages.newer(alice.id, LOBBY_ID, ids[4], 2), []);
    await store.blocks.block(alice.id, bob.id, 9);
    assert.deepEqual(texts(await store.messages.newer(alice.id, LOBBY_ID, ids[1], 2)), [
      "m3",
      "m5",
    ]);
  });

  // ---- reads ----
  it("a read position only moves forward", async (store) => {
    const [alice] = await people(store, "alice");
    const lobbyStart = (await store.reads.position(alice.id, LOBBY_ID))!;
    assert.equal(await store.reads.markRead(alice.id, LOBBY_ID, lobbyStart + 5), lobbyStart + 5);
    assert.equal(await store.reads.markRead(alice.id, LOBBY_ID, lobbyStart + 2), lobbyStart + 5);
    assert.equal(await store.reads.position(alice.id, LOBBY_ID), lobbyStart + 5);
  });

  it("unread counts others' messages after the position, up to the cap, not blocked ones", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const start = (await store.reads.position(alice.id, LOBBY_ID))!;
    await say(store, alice, LOBBY_ID, "mine");
    for (let i = 0; i < 3; i++) await say(store, bob, LOBBY_ID, `bob ${i}`);
    await say(store, carol, LOBBY_ID, "carol");
    assert.equal(await store.reads.unreadCount(alice.id, LOBBY_ID, start, 100), 4);
    assert.equal(await store.reads.unreadCount(alice.id, LOBBY_ID, start, 2), 2);
    await store.blocks.block(alice.id, bob.id, 1);
    assert.equal(await store.reads.unreadCount(alice.id, LOBBY_ID, start, 100), 1);
  });

  // ---- read receipts ----
  it("a direct read that moves the position is a receipt at the next seq; one that does not is none", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const dm = (await store.conversations.direct(alice.id, bob.id, 1)).id;
    const hi = (await say(store, alice, dm, "hi")).message;
    const read = await store.reads.readDirect(bob.id, dm, hi.id, 700);
    assert.equal(read.lastReadId, hi.id);
    assert.deepEqual(read.receipt, {
      conversationId: dm,
      userId: bob.id,
      lastReadId: hi.id,
      at: 700,
      seq: hi.seq + 1,
    });
    assert.equal(await store.messages.lastSeq(), hi.seq + 1);
    assert.deepEqual(await store.reads.readDirect(bob.id, dm, hi.id, 800), {
      lastReadId: hi.id,
      receipt: null,
    });
    assert.equal(await store.messages.lastSeq(), hi.seq + 1, "no seq taken for nothing");
    assert.equal(await store.reads.position(bob.id, dm), hi.id);
    assert.deepEqual(await store.reads.receiptFor(alice.id, dm), read.receipt);
    assert.equal(await store.reads.receiptFor(bob.id, dm), null, "alice has not read");
  });

  it("receipts replay by seq to the other member only, the latest per reader", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const withBob = (await store.conversations.direct(alice.id, bob.id, 1)).id;
    const withCarol = (await store.conversations.direct(alice.id, carol.id, 1)).id;
    const one = (await say(store, alice, withBob, "one")).message;
    const two = (await say(store, alice, withCarol, "two")).message;
    const start = await store.messages.lastSeq();
    await store.reads.readDirect(carol.id, withCarol, two.id, 10);
    await store.reads.readDirect(bob.id, withBob, one.id, 20);
    const three = (await say(store, alice, withBob, "three")).message;
    await store.reads.readDirect(bob.id, withBob, three.id, 30);
    const after = await store.reads.receiptsAfter(alice.id, start, 10);
    assert.deepEqual(after.map((r) => [r.userId, r.lastReadId, r.at]), [
      [carol.id, two.id, 10],
      [bob.id, three.id, 30],
    ]);
    assert.ok(after[0].seq < after[1].seq);
    assert.equal((await store.reads.receiptsAfter(alice.id, start, 1)).length, 1);
    assert.deepEqual(await store.reads.receiptsAfter(alice.id, after[1].seq, 10), []);
    assert.deepEqual(await store.reads.receiptsAfter(bob.id, start, 10), [], "not their own");
    assert.deepEqual(await store.reads.receiptsAfter(carol.id, start, 10), []);
  });

  it("a receipt is seen only while both send receipts and neither blocked the other", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const dm = (await store.conversations.direct(alice.id, bob.id, 1)).id;
    const hi = (await say(store, alice, dm, "hi")).message;
    await store.reads.readDirect(bob.id, dm, hi.id, 5);
    const seen = async () => [
      (await store.reads.receiptFor(alice.id, dm))?.lastReadId ?? null,
      (await store.reads.receiptsAfter(alice.id, 0, 10)).length,
    ];
    assert.equal(await store.users.sendsReceipts(alice.id), true, "on by default");
    assert.deepEqual(await seen(), [hi.id, 1]);
    for (const who of [alice, bob]) {
      await store.users.setSendsReceipts(who.id, false);
      assert.equal(await store.users.sendsReceipts(who.id), false);
      assert.deepEqual(await seen(), [null, 0], `${who.username} turned receipts off`);
      await store.users.setSendsReceipts(who.id, true);
      assert.deepEqual(await seen(), [hi.id, 1]);
    }
    for (const [a, b] of [[alice, bob], [bob, alice]]) {
      await store.blocks.block(a.id, b.id, 1);
      assert.deepEqual(await seen(), [null, 0], `${a.username} blocked ${b.username}`);
      await store.blocks.unblock(a.id, b.id);
    }
    assert.deepEqual(await seen(), [hi.id, 1]);
  });

  // ---- messages that change ----
  const by = (user: User, clientId = crypto.randomUUID()) => ({ userId: user.id, clientId });

  it("an edit replaces the text at the next seq, keeps the earlier one, and replays once", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const first = (await say(store, alice, LOBBY_ID, "helo")).message;
    const other = (await say(store, bob, LOBBY_ID, "hi")).message;
    const edited = await store.messages.edit(first.id, "hello", 500, by(alice));
    assert.ok(edited && edited !== "deleted");
    assert.equal(edited.duplicate, false);
    assert.deepEqual(
      [edited.message.text, edited.message.editedAt, edited.message.id],
      ["hello", 500, first.id],
    );
    assert.ok(edited.message.seq > other.seq, "the edit is the latest change");
    assert.equal(await store.messages.lastSeq(), edited.message.seq);
    const replay = await store.messages.after(bob.id, other.seq, 10);
    assert.deepEqual(replay.map((m) => [m.id, m.text, m.editedAt]), [[first.id, "hello", 500]]);
    assert.deepEqual(texts(await store.messages.history(bob.id, LOBBY_ID, 1e15, 10)), [
      "hello",
      "hi",
    ]);
    await store.messages.edit(first.id, "hello!", 600, by(alice));
    assert.deepEqual(await store.messages.earlierTexts(first.id), [
      { text: "helo", at: first.at },
      { text: "hello", at: 500 },
    ]);
    assert.equal((await store.messages.find(first.id))?.text, "hello!");
    assert.equal(await store.messages.find(1e9), null);
    assert.equal(await store.messages.edit(1e9, "x", 1, by(alice)), null);
  });

  it("a change retried with the same client id is applied once", async (store) => {
    const [alice] = await people(store, "alice");
    const m = (await say(store, alice, LOBBY_ID, "one")).message;
    const once = by(alice);
    const [a, b] = await Promise.all([
      store.messages.edit(m.id, "two", 2, once),
      store.messages.edit(m.id, "two", 2, once),
    ]);
    assert.ok(a && b && a !== "deleted" && b !== "deleted");
    assert.deepEqual([a.duplicate, b.duplicate].sort(), [false, true]);
    assert.equal(a.message.seq, b.message.seq);
    assert.equal((await store.messages.earlierTexts(m.id)).length, 1);
    const gone = by(alice);
    const removed = await store.messages.remove(m.id, 3, gone);
    assert.equal(removed?.duplicate, false);
    const again = await store.messages.remove(m.id, 4, gone);
    assert.equal(again?.duplicate, true);
    assert.equal(again?.message.seq, removed?.message.seq, "no second change");
  });

  it("a deletion leaves a tombstone at the next seq, without its text or earlier versions", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const m = (await say(store, alice, LOBBY_ID, "secret plans")).message;
    await store.messages.edit(m.id, "secret plans, v2", 2, by(alice));
    const removed = await store.messages.remove(m.id, 3, by(bob));
    assert.ok(removed);
    assert.equal(removed.message.deleted, true);
    assert.equal(removed.message.text, "");
    assert.equal(removed.message.editedAt, undefined);
    assert.deepEqual(await store.messages.earlierTexts(m.id), []);
    const [tombstone] = await store.messages.history(bob.id, LOBBY_ID, 1e15, 10);
    assert.deepEqual([tombstone.id, tombstone.deleted, tombstone.text], [m.id, true, ""]);
    assert.deepEqual((await store.messages.after(bob.id, m.seq, 10)).map((r) => r.id), [m.id]);
    assert.equal(await store.messages.edit(m.id, "back", 4, by(alice)), "deleted");
    const twice = await store.messages.remove(m.id, 5, by(alice));
    assert.equal(twice?.duplicate, true, "deleting a tombstone changes nothing");
    assert.equal(twice?.message.seq, removed.message.seq);
  });

  it("reactions: toggled once per user and emoji, at the next seq, capped in distinct emoji, gone with a deletion", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const m = (await say(store, alice, LOBBY_ID, "party?")).message;
    let clock = 100; // each reaction a moment after the one before: their order is defined
    const react = (who: User, emoji: string, on = true, max = 3) =>
      store.messages.react(m.id, who.id, emoji, on, clock++, by(who), max);
    const first = await react(bob, "🎉");
    assert.ok(first && typeof first === "object" && !first.duplicate);
    assert.ok(first.message.seq > m.seq);
    await react(carol, "🎉");
    await react(carol, "👍");
    const again = await react(bob, "🎉");
    assert.ok(again && typeof again === "object" && again.duplicate, "reacting twice is once");
    const shown = async (reader: User) =>
      (await store.messages.latest(reader.id, LOBBY_ID))?.reactions?.map((r) =>
        `${r.emoji}:${r.users.map((u) => u.username).join("+")}`
      );
    assert.deepEqual(await shown(alice), ["🎉:bob+carol", "👍:carol"]);
    await react(alice, "😀");
    assert.equal(
      await react(bob, "🍕"),
      "too_many",
      "a fourth emoji is one too many for a cap of 3",
    );
    assert.ok(typeof (await react(bob, "👍")) === "object", "an emoji already there is fine");
    const replay = await store.messages.after(carol.id, m.seq, 10);
    assert.equal(replay.length, 1, "the message is replayed once, as it is now");
    assert.equal(replay[0].reactions?.length, 3);
    await react(carol, "🎉", false);
    assert.deepEqual((await shown(alice))?.[0], "🎉:bob");
    await store.blocks.block(alice.id, bob.id, 1);
    assert.deepEqual(
      await shown(alice),
      ["🎉:", "👍:carol", "😀:alice"].filter((x) => x !== "🎉:"),
    );
    await store.messages.remove(m.id, 5, by(alice));
    assert.equal((await store.messages.latest(carol.id, LOBBY_ID))?.reactions, undefined);
    assert.equal(await react(carol, "👍"), "deleted");
  });

  // ---- mentions ----
  it("a message's mentions are stored with it: each reader reads whether it mentions them", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const plain = await say(store, alice, LOBBY_ID, "hello all");
    const named = await say(store, alice, LOBBY_ID, "@bob look", undefined, [bob.id]);
    assert.equal(named.message.mentioned, undefined, "the sender's row says nothing of it");
    const mentionedIn = (rows: { text: string; mentioned?: boolean }[]) =>
      rows.filter((row) => row.mentioned).map((row) => row.text);
    assert.deepEqual(mentionedIn(await store.messages.history(bob.id, LOBBY_ID, 1e15, 10)), [
      "@bob look",
    ]);
    assert.deepEqual(mentionedIn(await store.messages.history(carol.id, LOBBY_ID, 1e15, 10)), []);
    assert.deepEqual(mentionedIn(await store.messages.after(bob.id, plain.message.seq - 1, 10)), [
      "@bob look",
    ]);
    assert.equal((await store.messages.latest(bob.id, LOBBY_ID))?.mentioned, true);
    assert.equal((await store.messages.latest(carol.id, LOBBY_ID))?.mentioned, undefined);
    const again = await say(store, alice, LOBBY_ID, "@bob @carol", named.message.clientId, [
      bob.id,
      carol.id,
    ]);
    assert.equal(again.duplicate, true);
    assert.equal(
      (await store.messages.latest(carol.id, LOBBY_ID))?.mentioned,
      undefined,
      "a duplicate stores no mentions",
    );
  });

  it("mentions are counted after the read position, up to the cap, not from blocked senders", async (store) => {
    const [alice, bob, carol] = await people(store, "alice", "bob", "carol");
    const start = (await store.reads.position(bob.id, LOBBY_ID))!;
    await say(store, alice, LOBBY_ID, "@bob one", undefined, [bob.id]);
    const second = await say(store, alice, LOBBY_ID, "@bob two", undefined, [bob.id]);
    await say(store, carol, LOBBY_ID, "@bob three", undefined, [bob.id]);
    await say(store, carol, LOBBY_ID, "not him");
    assert.equal(await store.reads.mentionCount(bob.id, LOBBY_ID, start, 100), 3);
    assert.equal(await store.reads.mentionCount(bob.id, LOBBY_ID, start, 2), 2);
    assert.equal(await store.reads.mentionCount(bob.id, LOBBY_ID, second.message.id, 100), 1);
    assert.equal(await store.reads.mentionCount(carol.id, LOBBY_ID, start, 100), 0);
    await store.blocks.block(bob.id, carol.id, 1);
    assert.equal(await store.reads.mentionCount(bob.id, LOBBY_ID, start, 100), 2);
  });

  it("a room's mentions go with the room", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const made = await room(store, alice);
    assert.equal(await store.rooms.add(made.id, bob.id, "member", 11), "added");
    const start = (await store.reads.position(bob.id, made.id))!;
    await say(store, alice, made.id, "@bob", undefined, [bob.id]);
    assert.equal(await store.reads.mentionCount(bob.id, made.id, start, 100), 1);
    assert.equal(await store.rooms.delete(made.id), true);
    assert.equal(await store.reads.mentionCount(bob.id, made.id, start, 100), 0);
  });

  it("a closed store rejects, it does not throw", async (store) => {
    await store.close();
    await assert.rejects(store.users.findByName("alice"));
    assert.equal(await store.ping(), false);
  });

  // ---- search ----
  const find = async (
    store: Store,
    reader: User,
    query: string,
    filter: Partial<SearchFilter> = {},
  ) => {
    const phrases = query ? parseQueryOk(query).phrases : [];
    return texts(await store.search.search(reader.id, { phrases, ...filter }, 50));
  };

  it("search finds words by prefix, with case and diacritics aside, newest first, a page at a time", async (store) => {
    const [alice] = await people(store, "alice");
    await say(store, alice, LOBBY_ID, "The Café opens at 9");
    await say(store, alice, LOBBY_ID, "deployment went fine");
    await say(store, alice, LOBBY_ID, "nothing to see");
    await say(store, alice, LOBBY_ID, "DEPLOY again, café closed");
    assert.deepEqual(await find(store, alice, "deplo"), [
      "DEPLOY again, café closed",
      "deployment went fine",
    ]);
    assert.deepEqual(await find(store, alice, "CAFE"), [
      "DEPLOY again, café closed",
      "The Café opens at 9",
    ]);
    assert.deepEqual(await find(store, alice, "cafe deploy"), ["DEPLOY again, café closed"]);
    assert.deepEqual(await find(store, alice, "cafeteria"), []);
    const [first] = await store.search.search(
      alice.id,
      { phrases: parseQueryOk("deplo").phrases },
      1,
    );
    assert.equal(first.text, "DEPLOY again, café closed");
    const next = await store.search.search(alice.id, {
      phrases: parseQueryOk("deplo").phrases,
      beforeId: first.id,
    }, 1);
    assert.deepEqual(texts(next), ["deployment went fine"]);
  });

  it("search matches quoted phrases in order, and non-Latin words by prefix", async (store) => {
    const [alice] = await people(store, "alice");
    await say(store, alice, LOBBY_ID, "the release notes are out");
    await say(store, alice, LOBBY_ID, "notes on the release");
    await say(store, alice, LOBBY_ID, "東京タワーに行こう");
    await say(store, alice, LOBBY_ID, "привет, мир");
    assert.deepEqual(await find(store, alice, '"release notes"'), ["the release notes are out"]);
    assert.deepEqual(await find(store, alice, "release notes"), [
      "notes on the release",
      "the release notes are out",
    ]);
    assert.deepEqual(await find(store, alice, "東京"), ["東京タワーに行こう"]);
    assert.deepEqual(await find(store, alice, "ПРИВ"), ["привет, мир"]);
  });

  it("search finds only what the reader may see now, by its text as it is now", async (store) => {
    const [alice, bob, carol, dave] = await people(store, "alice", "bob", "carol", "dave");
    const dm = await store.conversations.direct(alice.id, bob.id, 1);
    await say(store, alice, dm.id, "secret picnic plans");
    const made = await room(store, carol);
    await store.rooms.add(made.id, alice.id, "member", 11);
    await say(store, carol, made.id, "picnic in the room");
    await say(store, dave, LOBBY_ID, "picnic from dave");
    const gone = (await say(store, alice, LOBBY_ID, "picnic that was deleted")).message;
    await store.messages.remove(gone.id, 5, { userId: alice.id, clientId: "del" });
    const edited = (await say(store, carol, LOBBY_ID, "picnic at first")).message;
    await store.messages.edit(edited.id, "barbecue now", 6, { userId: carol.id, clientId: "ed" });

    assert.deepEqual(await find(store, alice, "picnic"), [
      "picnic from dave",
      "picnic in the room",
      "secret picnic plans",
    ]);
    assert.deepEqual(await find(store, bob, "picnic"), ["picnic from dave", "secret picnic plans"]);
    assert.deepEqual(await find(store, carol, "picnic"), [
      "picnic from dave",
      "picnic in the room",
    ]);
    assert.deepEqual(await find(store, carol, "barbecue"), ["barbecue now"]);
    assert.deepEqual(await find(store, carol, "first"), [], "the old text is not found");
    // Blocks hide both ways; leaving a room takes its messages out of reach.
    await store.blocks.block(dave.id, alice.id, 7);
    await store.blocks.block(bob.id, alice.id, 7);
    assert.deepEqual(await find(store, alice, "picnic"), [
      "picnic in the room",
      "secret picnic plans", // her own
    ]);
    assert.deepEqual(await find(store, bob, "picnic"), ["picnic from dave"]);
    await store.rooms.leave(made.id, alice.id);
    assert.deepEqual(await find(store, alice, "picnic"), ["secret picnic plans"]);
  });

  it("search filters by sender, conversation and time, with or without words", async (store) => {
    const [alice, bob] = await people(store, "alice", "bob");
    const at = (text: string, from: User, time: number) =>
      store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: from.id,
        senderName: from.username,
        clientId: crypto.randomUUID(),
        text,
        at: time,
      });
    await at("lunch plans", alice, 100);
    await at("lunch is late", bob, 200);
    await at("dinner plans", bob, 300);
    const made = await room(store, alice);
    await say(store, alice, made.id, "lunch in the room");
    assert.deepEqual(await find(store, alice, "lunch", { senderId: bob.id }), ["lunch is late"]);
    assert.deepEqual(await find(store, alice, "", { senderId: bob.id }), [
      "dinner plans",
      "lunch is late",
    ]);
    assert.deepEqual(await find(store, alice, "lunch", { conversationId: made.id }), [
      "lunch in the room",
    ]);
    assert.deepEqual(await find(store, alice, "plans", { since: 150 }), ["dinner plans"]);
    assert.deepEqual(
      await find(store, alice, "", { since: 150, until: 300, conversationId: LOBBY_ID }),
      ["lunch is late"],
    );
  });

  it("reindex builds the search index again from the messages, without the deleted", async (store) => {
    const [alice] = await people(store, "alice");
    await say(store, alice, LOBBY_ID, "kept words");
    const gone = (await say(store, alice, LOBBY_ID, "gone words")).message;
    await store.messages.remove(gone.id, 5, { userId: alice.id, clientId: "del" });
    assert.equal(await store.search.reindex(), 1);
    assert.deepEqual(await find(store, alice, "words"), ["kept words"]);
  });
}
