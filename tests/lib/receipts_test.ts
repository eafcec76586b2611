// Read receipts in direct messages, as sentences on the in-process harness: who is told how far
// a friend read, live and on resume, and who is not (receipts turned off, either way; blocks).
import assert from "node:assert/strict";
import type { ServerFrame } from "../../lib/wire.ts";
import { change, sent } from "../helpers/changes.ts";
import { type FakeSocket, type Person, startHarness } from "../helpers/harness.ts";

type Conversation = Extract<ServerFrame, { type: "conversation" }>["conversation"];

/** The reader marks a conversation read up to a message, and waits until it is handled. */
async function read(socket: FakeSocket, conversationId: number, messageId: number) {
  socket.write({ type: "read", conversationId, messageId });
  await socket.settle();
}

async function friends(h: Awaited<ReturnType<typeof startHarness>>) {
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const dm = await alice.directWith(bob);
  return { alice, bob, dm };
}

const seenIn = (socket: FakeSocket, dm: number) =>
  socket.snapshot.conversations.find((c) => c.id === dm)?.seen;

/** The last conversation frame for `dm` on the socket, from `from` on. */
async function refreshed(socket: FakeSocket, dm: number, from: number): Promise<Conversation> {
  const frame = await socket.waitFor(
    (f) => f.type === "conversation" && f.conversation.id === dm,
    from,
  );
  assert.ok(frame.type === "conversation");
  return frame.conversation;
}

async function setReceipts(person: Person, socket: FakeSocket, on: boolean) {
  const from = socket.frames.length;
  socket.write({ type: "set_receipts", sendReceipts: on });
  await socket.waitFor((f) => f.type === "receipts_setting" && f.sendReceipts === on, from);
  assert.equal((await person.connect()).snapshot.me.sendReceipts, on);
}

Deno.test("reading a direct message tells the sender, once, with the time; the snapshot says it too", async () => {
  await using h = await startHarness();
  const { alice, bob, dm } = await friends(h);
  const [a1, a2, b] = [await alice.connect(), await alice.connect(), await bob.connect()];
  assert.equal(a1.snapshot.me.sendReceipts, true, "on by default");
  const hi = await sent(a1, dm, "hi bob");
  assert.equal(seenIn(await alice.connect(), dm), undefined, "not read yet");
  const before = Date.now();
  await read(b, dm, hi.id);
  for (const tab of [a1, a2]) {
    const receipt = await tab.waitFor((f) => f.type === "receipt");
    assert.ok(receipt.type === "receipt");
    assert.deepEqual([receipt.conversationId, receipt.lastReadId], [dm, hi.id]);
    assert.ok(receipt.seq > hi.seq, "on the event sequence");
    assert.ok(receipt.at >= before && receipt.at <= Date.now());
  }
  await read(b, dm, hi.id); // again: nothing moved
  await a1.settle();
  assert.equal(a1.all("receipt").length, 1);
  assert.equal(b.all("receipt").length, 0, "the reader is not told of their own read");
  const [receipt] = a1.all("receipt");
  assert.deepEqual(seenIn(await alice.connect(), dm), { lastReadId: hi.id, at: receipt.at });
  assert.equal(seenIn(await bob.connect(), dm), undefined, "alice has read nothing of bob's");
});

Deno.test("a client away during an edit, a deletion, a reaction and a receipt gets all four on resume, in order, once", async () => {
  await using h = await startHarness();
  const { alice, bob, dm } = await friends(h);
  const [a, b] = [await alice.connect(), await bob.connect()];
  const mine = await sent(a, dm, "are we still on for friday?");
  const typo = await sent(b, dm, "yse");
  const oops = await sent(b, dm, "wrong chat, sorry");
  const away = oops.seq; // alice saw up to here, then closed her laptop
  a.close();
  await change(b, { type: "edit", messageId: typo.id, text: "yes" });
  await change(b, { type: "delete", messageId: oops.id });
  await change(b, { type: "react", messageId: mine.id, emoji: "👍", on: true });
  await read(b, dm, oops.id);
  const back = await alice.connect({ after: away });
  const replayed = back.frames.slice(back.frames.findIndex((f) => f.type === "snapshot") + 1)
    .filter((f) => f.type === "message" || f.type === "receipt")
    .map((f) =>
      f.type === "receipt" ? ["receipt", f.lastReadId] : [
        "message",
        f.message.id,
        f.message.text,
        f.message.deleted ?? false,
        f.message.reactions?.map((r) => r.emoji) ?? [],
      ]
    );
  assert.deepEqual(replayed, [
    ["message", typo.id, "yes", false, []],
    ["message", oops.id, "", true, []],
    ["message", mine.id, "are we still on for friday?", false, ["👍"]],
    ["receipt", oops.id],
  ]);
  const seqs = back.frames.flatMap((f) =>
    f.type === "message" ? [f.message.seq] : f.type === "receipt" ? [f.seq] : []
  );
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "in seq order");
  const caughtUp = back.all("caught_up")[0];
  assert.equal(caughtUp.seq, seqs.at(-1), "the cursor moves past the receipt");
  await back.settle();
  assert.equal(back.all("receipt").length, 1, "not again live");
});

Deno.test("read receipts off hides them both ways, live, in snapshots and on resume; on again shows them", async () => {
  await using h = await startHarness();
  const { alice, bob, dm } = await friends(h);
  const [a, b] = [await alice.connect(), await bob.connect()];
  const fromAlice = await sent(a, dm, "did you get my email?");
  await read(b, dm, fromAlice.id);
  await a.waitFor((f) => f.type === "receipt");
  const fromBob = await sent(b, dm, "yes, reading it now");
  await read(a, dm, fromBob.id);
  await b.waitFor((f) => f.type === "receipt");

  // Alice turns receipts off: she stops seeing bob's, and bob stops seeing hers, at once.
  let [aFrom, bFrom] = [a.frames.length, b.frames.length];
  await setReceipts(alice, a, false);
  assert.equal((await refreshed(a, dm, aFrom)).seen, undefined);
  assert.equal((await refreshed(b, dm, bFrom)).seen, undefined);
  assert.equal(seenIn(await alice.connect(), dm), undefined);
  assert.equal(seenIn(await bob.connect(), dm), undefined);

  const cursor = (await bob.connect()).all("caught_up")[0].seq;
  const more = await sent(b, dm, "and replied");
  const later = await sent(a, dm, "thanks!");
  await read(a, dm, more.id);
  await read(b, dm, later.id);
  await Promise.all([a.settle(), b.settle()]);
  assert.equal(a.all("receipt").length, 1, "alice was told nothing new");
  assert.equal(b.all("receipt").length, 1, "bob was told nothing new");
  const resumed = await bob.connect({ after: cursor });
  assert.deepEqual(resumed.all("receipt"), [], "nor on resume");

  // On again: each sees how far the other has read, live and in the snapshot.
  [aFrom, bFrom] = [a.frames.length, b.frames.length];
  await setReceipts(alice, a, true);
  assert.equal((await refreshed(a, dm, aFrom)).seen?.lastReadId, later.id);
  assert.equal((await refreshed(b, dm, bFrom)).seen?.lastReadId, more.id);
  assert.equal(seenIn(await bob.connect(), dm)?.lastReadId, more.id);
});

Deno.test("bob turning his own receipts off hides alice's from him as well", async () => {
  await using h = await startHarness();
  const { alice, bob, dm } = await friends(h);
  const [a, b] = [await alice.connect(), await bob.connect()];
  await setReceipts(bob, b, false);
  const fromBob = await sent(b, dm, "ping");
  await read(a, dm, fromBob.id);
  const fromAlice = await sent(a, dm, "pong");
  await read(b, dm, fromAlice.id);
  await Promise.all([a.settle(), b.settle()]);
  assert.deepEqual([a.all("receipt").length, b.all("receipt").length], [0, 0]);
  assert.equal(seenIn(await bob.connect(), dm), undefined);
  assert.equal(seenIn(await alice.connect(), dm), undefined);
});

Deno.test("a block hides receipts both ways, and they come back with the unblock", async () => {
  await using h = await startHarness();
  const { alice, bob, dm } = await friends(h);
  const [a, b] = [await alice.connect(), await bob.connect()];
  const hi = await sent(a, dm, "hi");
  await read(b, dm, hi.id);
  await a.waitFor((f) => f.type === "receipt");
  const from = a.frames.length;
  await bob.block(alice);
  assert.equal((await refreshed(a, dm, from)).seen, undefined, "alice is told at once");
  assert.equal(seenIn(await alice.connect(), dm), undefined);
  await h.services.friendships.unblock(bob.user, "alice");
  assert.equal(seenIn(await alice.connect(), dm)?.lastReadId, hi.id);
});
