import assert from "node:assert/strict";
import { applyEvent, type MessageView, REPLAY_CAP } from "../../lib/protocol.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { people } from "../helpers/people.ts";
import { sleep } from "../helpers/wait.ts";
import { startTestServer } from "../helpers/server.ts";
import { openChat, openDirect } from "../helpers/socket.ts";

const messageIds = (frames: { message: MessageView }[]) => frames.map((f) => f.message.id);

Deno.test("a Lobby message is stored, acknowledged, then delivered to every socket, the sender's other tabs too", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using tab1 = await openChat(server.origin, alice);
  await using tab2 = await openChat(server.origin, alice);
  await using b = await openChat(server.origin, bob);
  const clientId = crypto.randomUUID();
  const ack = await tab1.say(LOBBY_ID, "  hello, lobby \n", clientId);
  assert.equal(ack.type, "ack");
  assert.ok(ack.type === "ack" && ack.id > 0 && ack.at > 0 && ack.conversationId === LOBBY_ID);
  const ackIndex = tab1.frames.findIndex((f) => f.type === "ack");
  for (const socket of [tab1, tab2, b]) {
    const got = await socket.waitFor((f) => f.type === "message");
    assert.ok(got.type === "message");
    assert.equal(got.message.text, "hello, lobby", "trimmed, kept otherwise");
    assert.equal(got.message.clientId, clientId);
    assert.equal(got.message.sender.username, "alice");
  }
  assert.ok(
    tab1.frames.findIndex((f) => f.type === "message") > ackIndex,
    "the ack comes before the delivery",
  );
  const { messages } = await (await bob.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.deepEqual(messages.map((m: MessageView) => m.text), ["hello, lobby"]);
});

Deno.test("the same clientId again gets the same acknowledgement and stores nothing new", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  await using b = await openChat(server.origin, bob);
  const clientId = crypto.randomUUID();
  const first = await a.say(LOBBY_ID, "once", clientId);
  a.frames.length = 0;
  const second = await a.say(LOBBY_ID, "once", clientId);
  assert.deepEqual(second, first);
  await sleep(100);
  assert.equal(b.all("message").length, 1, "delivered once");
  const { messages } = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.equal(messages.length, 1);
});

Deno.test("message text must be 1 to 4000 characters after trimming, and well formed", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  await using a = await openChat(server.origin, alice);
  for (
    const text of [
      "",
      "   \n\t ",
      "x".repeat(4001),
      "bad \u0000 byte",
      "lone \ud800 surrogate",
      "bell \u0007",
    ]
  ) {
    const reply = await a.say(LOBBY_ID, text);
    assert.equal(reply.type, "error", JSON.stringify(text));
    assert.ok(reply.type === "error" && reply.code === "invalid_text");
  }
  const ok = await a.say(LOBBY_ID, "🐱".repeat(4000));
  assert.equal(ok.type, "ack", "4000 characters (not UTF-16 units) fit");
  const { messages } = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.equal(messages.length, 1);
});

Deno.test("direct messages need friendship, reach only the two, and stop at a block", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob", "eve");
  const notYet = await folks.alice.post("/api/conversations", { with: "bob" });
  assert.equal(notYet.status, 403);
  assert.equal((await notYet.json()).error.code, "not_friends");
  await folks.alice.befriend(folks.bob);
  await using a = await openChat(server.origin, folks.alice);
  await using b = await openChat(server.origin, folks.bob);
  await using e = await openChat(server.origin, folks.eve);
  const dm = await openDirect(folks.alice, "bob");
  await b.waitFor((f) => f.type === "conversation" && f.conversation.id === dm);
  assert.equal((await a.say(dm, "psst")).type, "ack");
  await b.waitFor((f) => f.type === "message" && f.message.text === "psst");
  assert.equal(e.all("message").length, 0);
  const eveSends = await e.say(dm, "let me in");
  assert.ok(
    eveSends.type === "error" && eveSends.code === "not_found",
    "a conversation you are not in does not exist",
  );
  const eveReads = await folks.eve.get(`/api/conversations/${dm}/messages`);
  assert.equal(eveReads.status, 404);
  await eveReads.body?.cancel();

  (await folks.bob.request("DELETE", "/api/friends/alice")).body?.cancel();
  const unfriended = await a.say(dm, "still there?");
  assert.ok(unfriended.type === "error" && unfriended.code === "not_friends");
  await folks.alice.befriend(folks.bob);
  (await folks.bob.post("/api/blocks", { username: "alice" })).body?.cancel();
  const blocked = await a.say(dm, "hello?");
  assert.ok(blocked.type === "error" && blocked.code === "blocked");
  const history = await (await folks.bob.get(`/api/conversations/${dm}/messages`)).json();
  assert.deepEqual(
    history.messages.map((m: MessageView) => m.text),
    ["psst"],
    "history stays with the members",
  );
});

Deno.test("a blocked user's Lobby messages are not delivered to the blocker, nor shown in history", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob", "mallory");
  (await folks.alice.post("/api/blocks", { username: "mallory" })).body?.cancel();
  await using a = await openChat(server.origin, folks.alice);
  await using b = await openChat(server.origin, folks.bob);
  await using m = await openChat(server.origin, folks.mallory);
  await m.say(LOBBY_ID, "spam");
  await b.waitFor((f) => f.type === "message" && f.message.text === "spam");
  await m.say(LOBBY_ID, "more spam");
  await b.say(LOBBY_ID, "hi all");
  await a.waitFor((f) => f.type === "message" && f.message.text === "hi all");
  assert.deepEqual(a.all("message").map((f) => f.message.text), ["hi all"]);
  const history = await (await folks.alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.deepEqual(history.messages.map((x: MessageView) => x.text), ["hi all"]);
  await using fresh = await openChat(server.origin, folks.alice);
  assert.equal(fresh.snapshot.conversations[0].unread, 1, "only bob's message counts as unread");
});

Deno.test("all members see a conversation's messages in one order, the stored order", async () => {
  await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
  const folks = await people(server, "alice", "bob", "carol");
  const sockets = await Promise.all(Object.values(folks).map((p) => p.chat()));
  await Promise.all(sockets.map(async (socket, i) => {
    for (let n = 0; n < 30; n++) {
      socket.send({
        type: "send",
        clientId: crypto.randomUUID(),
        conversationId: LOBBY_ID,
        text: `${i}:${n}`,
      });
    }
    await socket.waitFor((f) => f.type === "ack" && socket.all("ack").length === 30);
  }));
  for (const socket of sockets) await socket.waitFor(() => socket.all("message").length === 90);
  const stored =
    (await (await folks.alice.get(`/api/conversations/${LOBBY_ID}/messages?limit=100`)).json())
      .messages
      .map((m: MessageView) => m.id);
  for (const socket of sockets) assert.deepEqual(messageIds(socket.all("message")), stored);
  assert.deepEqual([...stored].sort((x, y) => x - y), stored);
  await Promise.all(sockets.map((s) => s.close()));
});

Deno.test("history pages backwards with before and limit, newest last", async () => {
  await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
  const { alice } = await people(server, "alice");
  await using a = await openChat(server.origin, alice);
  for (let n = 1; n <= 7; n++) await a.say(LOBBY_ID, `m${n}`);
  const page1 = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages?limit=3`)).json();
  assert.deepEqual(page1.messages.map((m: MessageView) => m.text), ["m5", "m6", "m7"]);
  assert.equal(page1.hasMore, true);
  const page2 = await (await alice.get(
    `/api/conversations/${LOBBY_ID}/messages?limit=3&before=${page1.messages[0].id}`,
  )).json();
  assert.deepEqual(page2.messages.map((m: MessageView) => m.text), ["m2", "m3", "m4"]);
  for (const bad of ["limit=0", "limit=101", "before=abc", "limit=-1"]) {
    const response = await alice.get(`/api/conversations/${LOBBY_ID}/messages?${bad}`);
    assert.equal(response.status, 400, bad);
    await response.body?.cancel();
  }
  for (const id of ["999", "abc", "0"]) {
    const response = await alice.get(`/api/conversations/${id}/messages`);
    assert.equal(response.status, 404, id);
    await response.body?.cancel();
  }
});

Deno.test("a reconnecting client gets exactly what it missed, in order, and resync beyond the cap", async () => {
  await using server = await startTestServer({ MESSAGES_PER_10S: "100000" });
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  const b = await openChat(server.origin, bob);
  await a.say(LOBBY_ID, "before");
  const seen = await b.waitFor((f) => f.type === "message");
  const lastSeen = seen.type === "message" ? seen.message.seq : 0;
  await b.close();
  const sent: number[] = [];
  const sentSeqs: number[] = [];
  for (let n = 0; n < 25; n++) {
    const ack = await a.say(LOBBY_ID, `missed ${n}`);
    if (ack.type === "ack") sent.push(ack.id), sentSeqs.push(ack.seq);
  }
  await using back = await openChat(server.origin, bob, { after: lastSeen });
  assert.deepEqual(messageIds(back.all("message")), sent);
  const caughtUp = back.all("caught_up")[0];
  assert.equal(caughtUp.seq, sentSeqs.at(-1));
  const live = await a.say(LOBBY_ID, "live again");
  await back.waitFor((f) => f.type === "message" && f.message.text === "live again");
  assert.deepEqual(messageIds(back.all("message")), [...sent, live.type === "ack" ? live.id : -1]);

  const far = await openChat(server.origin, bob, { after: 0 });
  assert.equal(far.all("resync").length, 0, "27 messages is under the cap");
  await far.close();
  for (let n = 0; n < REPLAY_CAP; n++) {
    a.send({
      type: "send",
      clientId: crypto.randomUUID(),
      conversationId: LOBBY_ID,
      text: `bulk ${n}`,
    });
  }
  await a.waitFor(() => a.all("ack").length >= 26 + REPLAY_CAP, 30_000);
  await using tooFar = await openChat(server.origin, bob, { after: lastSeen });
  assert.equal(tooFar.all("resync").length, 1);
  assert.equal(tooFar.all("message").length, 0);
});

Deno.test("unread counts are stored per user, move with reads, and agree across tabs and reloads", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  for (const text of ["one", "two", "three"]) await a.say(LOBBY_ID, text);
  const tab1 = await openChat(server.origin, bob);
  await using tab2 = await openChat(server.origin, bob);
  const lobby = tab1.snapshot.conversations.find((c) => c.id === LOBBY_ID)!;
  assert.equal(lobby.unread, 3);
  assert.equal(lobby.latest?.text, "three");
  assert.equal(a.snapshot.conversations[0].unread, 0, "your own messages are never unread");
  tab1.send({ type: "read", conversationId: LOBBY_ID, messageId: lobby.latest!.id });
  const read = await tab2.waitFor((f) => f.type === "read");
  assert.ok(read.type === "read" && read.unread === 0 && read.lastReadId === lobby.latest!.id);
  tab1.send({ type: "read", conversationId: LOBBY_ID, messageId: 1 });
  await tab1.waitFor((f) => f.type === "read" && f.lastReadId === lobby.latest!.id);
  await tab1.close();
  await using reloaded = await openChat(server.origin, bob);
  assert.equal(reloaded.snapshot.conversations[0].unread, 0);
  assert.equal(
    reloaded.snapshot.conversations[0].lastReadId,
    lobby.latest!.id,
    "a read position never moves back",
  );
});

Deno.test("a newcomer does not start with the whole Lobby past unread", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  await using a = await openChat(server.origin, alice);
  await a.say(LOBBY_ID, "old news");
  const { carol } = await people(server, "carol");
  await using c = await openChat(server.origin, carol);
  assert.equal(c.snapshot.conversations[0].unread, 0);
  assert.equal(c.snapshot.conversations[0].latest?.text, "old news");
});

Deno.test("typing reaches the other members, never the typist, and never across a block", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob", "mallory");
  (await folks.alice.post("/api/blocks", { username: "mallory" })).body?.cancel();
  await using a = await openChat(server.origin, folks.alice);
  await using b = await openChat(server.origin, folks.bob);
  await using m = await openChat(server.origin, folks.mallory);
  a.send({ type: "typing", conversationId: LOBBY_ID });
  const typing = await b.waitFor((f) => f.type === "typing");
  assert.ok(typing.type === "typing" && typing.user.username === "alice");
  m.send({ type: "typing", conversationId: LOBBY_ID });
  await b.waitFor((f) => f.type === "typing" && f.user.username === "mallory");
  await sleep(150);
  assert.deepEqual(a.all("typing"), [], "alice hears neither herself nor mallory");
  assert.deepEqual(m.all("typing"), [], "mallory does not hear alice, who blocked her");
});

Deno.test("a snapshot plus the events since equals a fresh snapshot", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: "100" });
  const folks = await people(server, "alice", "bob", "carol");
  await using a = await openChat(server.origin, folks.alice);
  const start = a.frames.length;
  await folks.alice.befriend(folks.bob);
  (await folks.alice.post("/api/friends/requests", { username: "carol" })).body?.cancel();
  const b = await openChat(server.origin, folks.bob);
  const dm = await openDirect(folks.bob, "alice");
  await b.say(dm, "hey alice");
  await b.say(LOBBY_ID, "hey all");
  await using c = await openChat(server.origin, folks.carol);
  await c.say(LOBBY_ID, "carol here");
  a.send({ type: "read", conversationId: dm, messageId: 2 });
  a.send({ type: "set_status", appearOffline: true });
  await a.waitFor((f) => f.type === "status");
  await b.close();
  await a.waitFor((f) => f.type === "presence" && !f.online);
  await a.waitFor((f) => f.type === "message" && f.message.text === "carol here");

  const replayed = a.frames.slice(start).reduce(applyEvent, a.snapshot);
  await using fresh = await openChat(server.origin, folks.alice);
  const byId = (s: typeof replayed) => ({
    ...s,
    conversations: [...s.conversations].sort((x, y) => x.id - y.id),
  });
  assert.deepEqual(byId(replayed), byId(fresh.snapshot));
});
