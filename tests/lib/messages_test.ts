// Where a message goes, as sentences, on the in-process harness (services, temp SQLite,
// memory broker, fake sockets).
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { startHarness } from "../helpers/harness.ts";
import { sleep, waitUntil } from "../helpers/wait.ts";

Deno.test("a Lobby message is acknowledged to the sender, then reaches everyone once, the sender's other tabs too", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const [tab1, tab2, b] = [await alice.connect(), await alice.connect(), await bob.connect()];
  const ack = await tab1.say(LOBBY_ID, "  hello  ");
  assert.equal(ack.type, "ack");
  for (const socket of [tab1, tab2, b]) {
    const got = await socket.waitFor((f) => f.type === "message");
    assert.ok(got.type === "message" && got.message.text === "hello");
    assert.equal(got.message.seq, ack.type === "ack" ? ack.seq : -1);
  }
  const order = tab1.frames.map((f) => f.type).filter((t) => t === "ack" || t === "message");
  assert.deepEqual(order, ["ack", "message"], "the ack comes first");
});

Deno.test("a Lobby message never reaches someone who blocked the sender", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await bob.block(alice);
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  await a.say(LOBBY_ID, "can anyone hear me");
  await c.waitFor((f) => f.type === "message");
  await b.settle();
  assert.equal(b.all("message").length, 0);
});

Deno.test("typing never crosses a block, either way, in the Lobby or in private", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  const direct = await alice.directWith(bob);
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  a.write({ type: "typing", conversationId: LOBBY_ID });
  await b.waitFor((f) => f.type === "typing");
  await c.waitFor((f) => f.type === "typing");
  assert.equal(a.all("typing").length, 0, "nobody is told they are typing themselves");

  await bob.block(alice);
  await sleep(2_100); // typing repeats are dropped within TYPING_EVERY_MS
  b.frames.length = 0;
  a.write({ type: "typing", conversationId: LOBBY_ID });
  a.write({ type: "typing", conversationId: direct });
  b.write({ type: "typing", conversationId: LOBBY_ID });
  await a.settle();
  await b.settle();
  assert.equal(b.all("typing").length, 0, "the blocker sees nothing of the blocked");
  assert.equal(a.all("typing").length, 0, "the blocked sees nothing of the blocker");
});

Deno.test("a repeated clientId is acknowledged again with the first ack and delivered once", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const [a, b] = [await alice.connect(), await bob.connect()];
  const clientId = crypto.randomUUID();
  const first = await a.say(LOBBY_ID, "once", clientId);
  const again = await a.say(LOBBY_ID, "once", clientId);
  assert.deepEqual(again, first);
  await b.settle();
  assert.equal(b.all("message").length, 1);
});

Deno.test("a direct message needs a friend; a retry of one stored before the unfriending still gets its ack", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const direct = await alice.directWith(bob);
  const a = await alice.connect();
  const clientId = crypto.randomUUID();
  const first = await a.say(direct, "still friends?", clientId);
  assert.equal(first.type, "ack");
  await h.services.friendships.remove(bob.user, "alice");
  assert.deepEqual(await a.say(direct, "still friends?", clientId), first);
  const refused = await a.say(direct, "hello?");
  assert.ok(refused.type === "error" && refused.code === "not_friends");
});

Deno.test("a conversation you are not in is not found, for sending, reading and typing alike", async () => {
  await using h = await startHarness();
  const { alice, bob, carol } = await h.people("alice", "bob", "carol");
  await alice.befriend(bob);
  const direct = await alice.directWith(bob);
  const c = await carol.connect();
  const refused = await c.say(direct, "let me in");
  assert.ok(refused.type === "error" && refused.code === "not_found");
  c.write({ type: "read", conversationId: direct, messageId: 1 });
  c.write({ type: "typing", conversationId: direct });
  await c.settle();
  assert.deepEqual(c.all("error").map((e) => e.code), ["not_found", "not_found", "not_found"]);
});

Deno.test("sending faster than the limit is refused with rate_limited, naming the message", async () => {
  await using h = await startHarness({ MESSAGES_PER_10S: "3" });
  const { alice } = await h.people("alice");
  const a = await alice.connect();
  for (let i = 0; i < 3; i++) assert.equal((await a.say(LOBBY_ID, `m${i}`)).type, "ack");
  const clientId = crypto.randomUUID();
  const refused = await a.say(LOBBY_ID, "one too many", clientId);
  assert.ok(refused.type === "error" && refused.code === "rate_limited");
  assert.equal(refused.clientId, clientId);
});

Deno.test("events committed during the handshake are neither lost nor sent twice", async () => {
  await using h = await startHarness({ MESSAGES_PER_10S: "100000" });
  const { alice, bob } = await h.people("alice", "bob");
  const a = await alice.connect();
  const sent: number[] = [];
  let going = true;
  const traffic = (async () => {
    for (let i = 0; going; i++) {
      const ack = await a.say(LOBBY_ID, `m${i}`);
      if (ack.type === "ack") sent.push(ack.seq);
    }
  })();
  await sleep(20);
  const b = await bob.connect({ after: 0 });
  await sleep(20);
  going = false;
  await traffic;
  await b.settle();
  const got = b.all("message").map((f) => f.message.seq);
  assert.deepEqual(got, sent, "every message once, in order");
});

Deno.test("a burst of sends from one socket shares commits, and is stored and acknowledged in the order sent", async () => {
  await using h = await startHarness({ MESSAGES_PER_10S: "100000" });
  const { alice, bob } = await h.people("alice", "bob");
  const a = await alice.connect();
  const b = await bob.connect();
  // How many of alice's messages wait for their commit at once: with one send at a time, 1.
  const { messages } = h.services.store;
  const insert = messages.insert;
  let waiting = 0;
  let most = 0;
  messages.insert = (message) => {
    most = Math.max(most, ++waiting);
    return insert(message).finally(() => waiting--);
  };
  const clientIds = Array.from({ length: 50 }, () => crypto.randomUUID());
  for (const [i, clientId] of clientIds.entries()) {
    a.write({ type: "send", clientId, conversationId: LOBBY_ID, text: `burst ${i}` });
  }
  await waitUntil(() => a.all("ack").length === 50, { what: "50 acks" });
  messages.insert = insert;
  assert.ok(most > 1, `the next send waited for the previous commit (${most} at once)`);
  assert.deepEqual(a.all("ack").map((f) => f.clientId), clientIds, "acknowledged in order");
  const seqs = a.all("ack").map((f) => f.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "stored in order");
  await waitUntil(() => b.all("message").length === 50, { what: "bob to get all 50" });
  assert.deepEqual(
    b.all("message").map((f) => f.message.text),
    clientIds.map((_, i) => `burst ${i}`),
    "delivered in order",
  );
});

Deno.test("an unexpected failure in a handler is an internal error frame, logged, and the socket lives on", async () => {
  await using h = await startHarness();
  const { alice } = await h.people("alice");
  const a = await alice.connect();
  const realMarkRead = h.services.store.reads.markRead;
  h.services.store.reads.markRead = () => Promise.reject(new Error("disk on fire"));
  a.write({ type: "read", conversationId: LOBBY_ID, messageId: 1 });
  await a.settle();
  h.services.store.reads.markRead = realMarkRead;
  assert.deepEqual(a.all("error").map((e) => e.code), ["internal"]);
  assert.ok(
    h.lines.some((line) => line.includes("socket.frame_failed") && line.includes("type=read")),
  );
  assert.ok(h.lines.some((line) => line.includes("disk on fire")), "with its stack");
  assert.equal(a.readyState, WebSocket.OPEN);
});
