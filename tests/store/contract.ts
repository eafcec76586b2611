// The store contract: what every backend guarantees, as sentences. Each backend's test file
// calls storeContract with a way to open a fresh, empty store.
import assert from "node:assert/strict";
import type { NewMessage, Store, User } from "../../lib/store/types.ts";
import { LOBBY_ID } from "../../lib/wire.ts";

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
  const say = (store: Store, from: User, conversationId: number, text: string, clientId?: string) =>
    store.messages.insert(
      {
        conversationId,
        senderId: from.id,
        senderName: from.username,
        clientId: clientId ?? crypto.randomUUID(),
        text,
        at: Date.now(),
      } satisfies NewMessage,
    );
  const texts = (rows: { text: string }[]) => rows.map((row) => row.text);

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

  it("a closed store rejects, it does not throw", async (store) => {
    await store.close();
    await assert.rejects(store.users.findByName("alice"));
    assert.equal(await store.ping(), false);
  });
}
