// Messages that change, as sentences on the in-process harness: edits and deletions, who may
// make them, what readers see live and on resume, and what is left of a deleted message.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { sqliteOnly } from "../helpers/backend.ts";
import type { FakeSocket } from "../helpers/harness.ts";
import { change, sent } from "../helpers/changes.ts";
import { startHarness } from "../helpers/harness.ts";
import { refused } from "../helpers/refused.ts";
import { sleep } from "../helpers/wait.ts";

Deno.test("an edit replaces the text for every reader at once, marked edited, its earlier text readable", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const [a1, a2, b] = [await alice.connect(), await alice.connect(), await bob.connect()];
  const original = await sent(a1, LOBBY_ID, "see you at 7");
  const ack = await change(a1, { type: "edit", messageId: original.id, text: "see you at 8" });
  assert.ok(ack.type === "ack");
  assert.ok(ack.seq > original.seq, "the edit is a change on the event sequence");
  for (const tab of [a1, a2, b]) {
    const edited = await tab.waitFor((f) => f.type === "message_edited");
    assert.ok(edited.type === "message_edited");
    assert.deepEqual(
      [edited.messageId, edited.text, edited.seq, edited.conversationId],
      [original.id, "see you at 8", ack.seq, LOBBY_ID],
    );
  }
  const [shown] = await h.services.messages.history(bob.user, LOBBY_ID, 1e15, 10);
  assert.equal(shown.text, "see you at 8");
  assert.equal(typeof shown.editedAt, "number");
  const earlier = await h.services.messageChanges.earlierTexts(bob.user, original.id);
  assert.deepEqual(earlier.map((e) => e.text), ["see you at 7"]);
  const fresh = await bob.connect();
  assert.equal(fresh.snapshot.conversations[0].latest?.text, "see you at 8");
  assert.equal(fresh.snapshot.conversations[0].latest?.editedAt, shown.editedAt);
});

Deno.test("only the author edits, within the edit window, and a deleted message not at all", async () => {
  await using h = await startHarness({ EDIT_WINDOW_S: "1" });
  const { alice, bob } = await h.people("alice", "bob");
  const [a, b] = [await alice.connect(), await bob.connect()];
  const mine = await sent(a, LOBBY_ID, "mine");
  const notYours = await change(b, { type: "edit", messageId: mine.id, text: "bob's now" });
  assert.ok(notYours.type === "error" && notYours.code === "not_allowed");
  assert.match(notYours.message, /your own/);
  const bad = await change(a, { type: "edit", messageId: mine.id, text: "   " });
  assert.ok(bad.type === "error" && bad.code === "invalid_text");
  const nowhere = await change(a, { type: "edit", messageId: 999_999, text: "x" });
  assert.ok(nowhere.type === "error" && nowhere.code === "not_found");
  await sleep(1100);
  const late = await change(a, { type: "edit", messageId: mine.id, text: "too late" });
  assert.ok(late.type === "error" && late.code === "not_allowed");
  assert.match(late.message, /1 second|seconds/);
  const fresh = await sent(a, LOBBY_ID, "fresh");
  assert.equal((await change(a, { type: "delete", messageId: fresh.id })).type, "ack");
  const gone = await change(a, { type: "edit", messageId: fresh.id, text: "back" });
  assert.ok(gone.type === "error" && gone.code === "not_allowed");
  assert.match(gone.message, /deleted/);
  await b.settle();
  assert.equal(b.all("message_edited").length, 0, "nothing changed for bob");
});

Deno.test("a retried edit or deletion with the same client id is applied once", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const [a, b] = [await alice.connect(), await bob.connect()];
  const m = await sent(a, LOBBY_ID, "typo");
  const id = crypto.randomUUID();
  const first = await change(a, { type: "edit", messageId: m.id, text: "fixed" }, id);
  const again = await change(a, { type: "edit", messageId: m.id, text: "fixed" }, id);
  assert.ok(first.type === "ack" && again.type === "ack");
  assert.equal(again.seq, first.seq);
  const del = crypto.randomUUID();
  const d1 = await change(a, { type: "delete", messageId: m.id }, del);
  const d2 = await change(a, { type: "delete", messageId: m.id }, del);
  assert.ok(d1.type === "ack" && d2.type === "ack" && d1.seq === d2.seq);
  await b.settle();
  assert.equal(b.all("message_edited").length, 1);
  assert.equal(b.all("message_deleted").length, 1);
});

Deno.test("a deletion leaves a tombstone for everyone at once; room owners and admins may delete anyone's", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  await alice.befriend(carol);
  const room = await alice.createRoom("club");
  await alice.invite(room, bob);
  await alice.invite(room, carol);
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  const bobs = await sent(b, room, "something rude");
  const byCarol = await change(c, { type: "delete", messageId: bobs.id });
  assert.ok(byCarol.type === "error" && byCarol.code === "not_allowed", "a plain member may not");
  const inLobby = await sent(b, LOBBY_ID, "rude in the lobby too");
  const byAliceInLobby = await change(a, { type: "delete", messageId: inLobby.id });
  assert.ok(byAliceInLobby.type === "error" && byAliceInLobby.code === "not_allowed");

  assert.equal((await change(a, { type: "delete", messageId: bobs.id })).type, "ack");
  for (const tab of [a, b, c]) {
    const gone = await tab.waitFor((f) => f.type === "message_deleted");
    assert.ok(gone.type === "message_deleted" && gone.messageId === bobs.id);
  }
  const [tombstone] = await h.services.messages.history(carol.user, room, 1e15, 10);
  assert.deepEqual([tombstone.id, tombstone.deleted, tombstone.text], [bobs.id, true, ""]);
  const view = (await carol.connect()).snapshot.conversations.find((v) => v.id === room);
  assert.equal(view?.latest?.deleted, true);
  assert.equal((await change(b, { type: "delete", messageId: inLobby.id })).type, "ack");
});

Deno.test("earlier texts are for those who may see the message, and nobody else", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  const room = await alice.createRoom("two of us");
  await alice.invite(room, bob);
  const a = await alice.connect();
  const inRoom = await sent(a, room, "v1");
  await change(a, { type: "edit", messageId: inRoom.id, text: "v2" });
  assert.equal((await h.services.messageChanges.earlierTexts(bob.user, inRoom.id)).length, 1);
  await refused(h.services.messageChanges.earlierTexts(carol.user, inRoom.id), "not_found", 404);
  const inLobby = await sent(a, LOBBY_ID, "lobby v1");
  await change(a, { type: "edit", messageId: inLobby.id, text: "lobby v2" });
  assert.equal((await h.services.messageChanges.earlierTexts(carol.user, inLobby.id)).length, 1);
  await carol.block(alice);
  await refused(h.services.messageChanges.earlierTexts(carol.user, inLobby.id), "not_found");
});

Deno.test("a client away during an edit and a deletion gets both on resume, in order, once", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const a = await alice.connect();
  const first = await sent(a, LOBBY_ID, "first");
  const second = await sent(a, LOBBY_ID, "second");
  const away = second.seq; // bob saw up to here, then went away
  await change(a, { type: "edit", messageId: first.id, text: "first, edited" });
  await change(a, { type: "edit", messageId: first.id, text: "first, edited twice" });
  await change(a, { type: "delete", messageId: second.id });
  const third = await sent(a, LOBBY_ID, "third");
  const back = await bob.connect({ after: away });
  const replayed = back.all("message").map((
    f,
  ) => [f.message.id, f.message.text, f.message.deleted]);
  assert.deepEqual(replayed, [
    [first.id, "first, edited twice", undefined],
    [second.id, "", true],
    [third.id, "third", undefined],
  ]);
  const seqs = back.all("message").map((f) => f.message.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "in seq order");
});

Deno.test({
  name: "a deleted message's text and its earlier versions are gone from the database file",
  ignore: sqliteOnly,
  async fn() {
    const h = await startHarness({}, true);
    try {
      const { alice } = await h.people("alice");
      const a = await alice.connect();
      // Its words alone too: the search index holds words, not texts.
      const m = await sent(a, LOBBY_ID, "zebra-canary-4711 quokkaword first");
      await change(a, { type: "edit", messageId: m.id, text: "zebra-canary-4711 wombatword" });
      await sent(a, LOBBY_ID, "something else");
      await change(a, { type: "delete", messageId: m.id });
    } finally {
      await h[Symbol.asyncDispose](); // closes the database: its log is folded into the file
    }
    try {
      let files = 0;
      for await (const entry of Deno.readDir(h.dataDir)) {
        if (!entry.isFile) continue;
        files++;
        const bytes = await Deno.readFile(`${h.dataDir}/${entry.name}`);
        const text = new TextDecoder("latin1").decode(bytes);
        for (const gone of ["zebra-canary-4711", "quokkaword", "wombatword"]) {
          assert.ok(!text.includes(gone), `${entry.name} holds the deleted text`);
        }
        if (entry.name.endsWith(".db")) assert.ok(text.includes("something else"));
      }
      assert.ok(files > 0);
    } finally {
      await Deno.remove(h.dataDir, { recursive: true });
    }
  },
});

const react = (socket: FakeSocket, messageId: number, emoji: string, on = true, id?: string) =>
  change(socket, { type: "react", messageId, emoji, on }, id);

Deno.test("a reaction reaches everyone who sees the message at once, toggles, and comes back on resume", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  const m = await sent(a, LOBBY_ID, "pizza tonight?");
  const id = crypto.randomUUID();
  const ack = await react(b, m.id, "🍕", true, id);
  assert.ok(ack.type === "ack" && ack.seq > m.seq);
  assert.equal((await react(b, m.id, "🍕", true, id)).type, "ack", "a retry is applied once");
  for (const tab of [a, b, c]) {
    const got = await tab.waitFor((f) => f.type === "reaction");
    assert.ok(got.type === "reaction");
    assert.deepEqual([got.emoji, got.user.username, got.on, got.seq], ["🍕", "bob", true, ack.seq]);
  }
  await react(c, m.id, "🍕");
  await react(c, m.id, "👍");
  await react(c, m.id, "👍", false);
  const [shown] = await h.services.messages.history(alice.user, LOBBY_ID, 1e15, 10);
  assert.deepEqual(shown.reactions, [{
    emoji: "🍕",
    users: [{ id: bob.id, username: "bob" }, { id: carol.id, username: "carol" }],
  }]);
  const back = await alice.connect({ after: m.seq });
  const replayed = back.all("message");
  assert.equal(replayed.length, 1, "the message once, as it is now");
  assert.equal(replayed[0].message.reactions?.[0].users.length, 2);
  await a.settle();
  assert.equal(a.all("reaction").length, 4, "bob's once, carol's three");
});

Deno.test("reactions: one emoji each, at most 20 different per message, none on a deleted message, hidden across a block", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  const m = await sent(a, LOBBY_ID, "react to me");
  for (const bad of ["", "ok", "👍👍", "<b>", "👍 "]) {
    const answer = await react(b, m.id, bad);
    assert.ok(answer.type === "error" && answer.code === "invalid_input", JSON.stringify(bad));
  }
  assert.equal((await react(b, m.id, "🇫🇷")).type, "ack", "a flag is one emoji");
  assert.equal((await react(b, m.id, "1️⃣")).type, "ack", "so is a keycap");
  const many = [
    "😀",
    "😁",
    "😂",
    "🤣",
    "😃",
    "😄",
    "😅",
    "😆",
    "😉",
    "😊",
    "😋",
    "😎",
    "😍",
    "😘",
    "🥰",
    "😗",
    "🙂",
    "🤗",
  ];
  for (const emoji of many) assert.equal((await react(b, m.id, emoji)).type, "ack");
  const over = await react(b, m.id, "🤔");
  assert.ok(over.type === "error" && over.code === "too_many_reactions");
  assert.match(over.message, /20/);
  assert.equal((await react(c, m.id, "😀")).type, "ack", "an emoji already there still counts");

  await carol.block(bob);
  const seen = (await h.services.messages.history(carol.user, LOBBY_ID, 1e15, 10))[0].reactions!;
  assert.deepEqual(seen.map((r) => [r.emoji, r.users.map((u) => u.username)]), [["😀", ["carol"]]]);
  const from = c.frames.length;
  await react(b, m.id, "😀", false);
  await c.settle();
  assert.ok(!c.frames.slice(from).some((f) => f.type === "reaction"), "carol hears nothing of bob");

  await change(a, { type: "delete", messageId: m.id });
  const gone = await react(c, m.id, "🙂");
  assert.ok(gone.type === "error" && gone.code === "not_allowed");
  assert.equal(
    (await h.services.messages.history(alice.user, LOBBY_ID, 1e15, 10))[0].reactions,
    undefined,
  );
});

Deno.test("a reply quotes the start of its message, kept up to date by edits and deletion; never to a deleted message or across conversations", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const direct = await alice.directWith(bob);
  const [a, b] = [await alice.connect(), await bob.connect()];
  const original = await sent(a, LOBBY_ID, "who brings the " + "🍕".repeat(300));
  const from = b.frames.length;
  b.write({
    type: "send",
    clientId: crypto.randomUUID(),
    conversationId: LOBBY_ID,
    text: "me!",
    replyTo: original.id,
  });
  const reply = await b.waitFor((f) => f.type === "message" && f.message.text === "me!", from);
  assert.ok(reply.type === "message");
  assert.equal(reply.message.replyTo?.id, original.id);
  assert.equal(reply.message.replyTo?.sender.username, "alice");
  assert.equal([...reply.message.replyTo!.snippet].length, 200, "the first 200 characters");
  assert.ok(reply.message.replyTo!.snippet.startsWith("who brings the 🍕"));

  await change(a, { type: "edit", messageId: original.id, text: "who brings drinks?" });
  const page = await h.services.messages.history(bob.user, LOBBY_ID, 1e15, 10);
  assert.equal(page.at(-1)?.replyTo?.snippet, "who brings drinks?");
  const fresh = (await bob.connect()).snapshot.conversations[0].latest;
  assert.equal(fresh?.replyTo?.snippet, "who brings drinks?");
  await change(a, { type: "delete", messageId: original.id });
  const after = await h.services.messages.history(bob.user, LOBBY_ID, 1e15, 10);
  assert.deepEqual([after.at(-1)?.replyTo?.deleted, after.at(-1)?.replyTo?.snippet], [true, ""]);

  const toDeleted = await a.say(LOBBY_ID, "late reply", undefined);
  assert.equal(toDeleted.type, "ack");
  const refusedFrom = a.frames.length;
  const clientId = crypto.randomUUID();
  a.write({
    type: "send",
    clientId,
    conversationId: LOBBY_ID,
    text: "to a tombstone",
    replyTo: original.id,
  });
  const refused1 = await a.waitFor(
    (f) => f.type === "error" && f.clientId === clientId,
    refusedFrom,
  );
  assert.ok(refused1.type === "error" && refused1.code === "not_allowed");
  const other = crypto.randomUUID();
  a.write({
    type: "send",
    clientId: other,
    conversationId: direct,
    text: "elsewhere",
    replyTo: reply.message.id,
  });
  const refused2 = await a.waitFor((f) => f.type === "error" && f.clientId === other, refusedFrom);
  assert.ok(refused2.type === "error" && refused2.code === "not_found");
});
