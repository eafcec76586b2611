// The chat socket's edge: who may open it, and what happens to bad or greedy clients.
import assert from "node:assert/strict";
import { CLOSE, MAX_FRAME_BYTES } from "../../lib/protocol.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { people } from "../helpers/people.ts";
import { sleep } from "../helpers/wait.ts";
import { startTestServer } from "../helpers/server.ts";
import { befriend, openChat } from "../helpers/socket.ts";

/** A raw upgrade request: the status tells whether a socket would have opened. */
async function upgradeStatus(origin: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${origin}/ws`, {
    headers: {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      ...headers,
    },
  });
  await response.body?.cancel();
  return response.status;
}

Deno.test("the socket opens only for a live session and our own Origin", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const cookie = alice.cookieHeader;
  assert.equal(await upgradeStatus(server.origin, { Origin: server.origin }), 401, "no session");
  assert.equal(
    await upgradeStatus(server.origin, { Origin: server.origin, Cookie: "ugochat_session=forged" }),
    401,
  );
  for (
    const origin of [
      "https://evil.example",
      "null",
      `${server.origin}.evil.example`,
      server.origin.replace("127.0.0.1", "localhost"),
    ]
  ) {
    assert.equal(
      await upgradeStatus(server.origin, { Origin: origin, Cookie: cookie }),
      403,
      origin,
    );
  }
  assert.equal(await upgradeStatus(server.origin, { Cookie: cookie }), 403, "no Origin");
  assert.equal(await upgradeStatus(server.origin, { Origin: server.origin, Cookie: cookie }), 101);
});

Deno.test("logging out closes every socket of that session within a second, and no other", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const phone = createClient(server.origin);
  await phone.login("alice");
  const laptop = await openChat(server.origin, alice);
  const laptop2 = await openChat(server.origin, alice);
  await using onPhone = await openChat(server.origin, phone);
  const started = performance.now();
  (await alice.post("/api/logout")).body?.cancel();
  const [one, two] = await Promise.all([laptop.closed, laptop2.closed]);
  assert.ok(performance.now() - started < 1000);
  assert.equal(one.code, CLOSE.SESSION_ENDED);
  assert.equal(two.code, CLOSE.SESSION_ENDED);
  assert.equal(onPhone.socket.readyState, WebSocket.OPEN, "the phone's session lives on");
});

Deno.test("changing the password closes the other sessions' sockets", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const phone = createClient(server.origin);
  await phone.login("alice");
  await using here = await openChat(server.origin, alice);
  const there = await openChat(server.origin, phone);
  (await alice.post("/api/password", { current: PASSWORDS.alice, new: "a whole new passphrase" }))
    .body?.cancel();
  assert.equal((await there.closed).code, CLOSE.SESSION_ENDED);
  assert.equal(here.socket.readyState, WebSocket.OPEN);
});

Deno.test("invalid JSON, unknown types and wrong shapes get error frames and the socket stays open", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  await using a = await openChat(server.origin, alice);
  const cases: [string, string][] = [
    ["{not json", "invalid_json"],
    ['{"type":"dance"}', "invalid_frame"],
    ['{"type":"send","clientId":"not-a-uuid","conversationId":1,"text":"x"}', "invalid_frame"],
    [
      '{"type":"send","clientId":"' + crypto.randomUUID() + '","conversationId":"1","text":"x"}',
      "invalid_frame",
    ],
    ['{"type":"read","conversationId":-1,"messageId":1}', "invalid_frame"],
    ["[]", "invalid_frame"],
    ["null", "invalid_frame"],
    ['{"__proto__":{"type":"ping"}}', "invalid_frame"],
  ];
  for (const [data, code] of cases) {
    const before = a.all("error").length;
    a.raw(data);
    await a.waitFor(() => a.all("error").length > before);
    assert.equal(a.all("error").at(-1)!.code, code, data);
  }
  a.send({ type: "ping" });
  await a.waitFor((f) => f.type === "pong");
  const { messages } = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.equal(messages.length, 0, "nothing was stored");
});

Deno.test("a frame over 64 KiB closes the socket with 1009 and stores nothing; one at the limit is fine", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  await using a = await openChat(server.origin, alice);
  const frameOf = (size: number) => {
    const head = JSON.stringify({
      type: "send",
      clientId: crypto.randomUUID(),
      conversationId: LOBBY_ID,
      text: "",
    });
    return head.replace('"text":""', `"text":"${"x".repeat(size - head.length)}"`);
  };
  assert.equal(new TextEncoder().encode(frameOf(MAX_FRAME_BYTES)).length, MAX_FRAME_BYTES);
  a.raw(frameOf(MAX_FRAME_BYTES));
  await a.waitFor((f) => f.type === "error" && f.code === "invalid_text", 5000); // too long a message, but a fine frame
  const b = await openChat(server.origin, alice);
  b.raw(frameOf(MAX_FRAME_BYTES + 1));
  assert.equal((await b.closed).code, CLOSE.TOO_BIG);
  const c = await openChat(server.origin, alice);
  c.raw(new Uint8Array([1, 2, 3]));
  assert.equal((await c.closed).code, CLOSE.UNSUPPORTED_DATA);
  const { messages } = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.equal(messages.length, 0);
});

Deno.test("more than 30 messages in 10 s get rate_limited with how long to wait, and other users are unaffected", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  await using b = await openChat(server.origin, bob);
  const replies = [];
  for (let n = 0; n < 35; n++) replies.push(await a.say(LOBBY_ID, `n${n}`));
  assert.equal(replies.filter((r) => r.type === "ack").length, 30);
  const limited = replies.filter((r) => r.type === "error");
  assert.equal(limited.length, 5);
  assert.ok(limited.every((r) => r.type === "error" && r.code === "rate_limited" && r.clientId));
  for (const r of limited) {
    const wait = r.type === "error" ? r.retryAfterS ?? 0 : 0;
    assert.ok(wait >= 1 && wait <= 10, `told to wait ${wait} s, within the 10 s window`);
  }
  assert.equal((await b.say(LOBBY_ID, "bob is fine")).type, "ack");
});

Deno.test("a user may hold at most SOCKETS_PER_USER sockets; the next upgrade gets 429", async () => {
  await using server = await startTestServer({ SOCKETS_PER_USER: "3" });
  const { alice } = await people(server, "alice");
  const sockets = await Promise.all([1, 2, 3].map(() => openChat(server.origin, alice)));
  assert.equal(
    await upgradeStatus(server.origin, { Origin: server.origin, Cookie: alice.cookieHeader }),
    429,
  );
  await sockets[0].close();
  await sleep(50);
  await using _again = await openChat(server.origin, alice);
  await Promise.all(sockets.map((s) => s.close()));
});

Deno.test("a client that stops reading is disconnected, the others keep going, and it resumes with every message", async () => {
  await using server = await startTestServer({ MESSAGES_PER_10S: "100000" });
  const { alice, bob, carol } = await people(server, "alice", "bob", "carol");
  await using a = await openChat(server.origin, alice);
  await using c = await openChat(server.origin, carol);
  // bob's socket: a raw TCP connection that completes the handshake and then never reads.
  const port = new URL(server.origin).port;
  const raw = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  await raw.write(new TextEncoder().encode(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.origin}\r\nCookie: ${bob.cookieHeader}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  ));
  await sleep(200);
  const text = "y".repeat(3900);
  // Loopback kernel buffers swallow a few MiB before the server's own buffer grows: send in bursts.
  for (let burst = 0; burst < 50 && !server.lines.some((l) => l.includes("socket.slow")); burst++) {
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    for (const clientId of ids) {
      a.send({ type: "send", clientId, conversationId: LOBBY_ID, text: `${burst} ${text}` });
    }
    await a.waitFor((f) => f.type === "ack" && f.clientId === ids.at(-1), 10_000);
  }
  const acks = a.all("ack").map((f) => f.id);
  assert.ok(
    server.lines.some((l) => l.includes("socket.slow") && l.includes("user=bob")),
    "bob was dropped",
  );
  await c.waitFor((f) => f.type === "message" && f.message.id === acks.at(-1), 10_000);
  raw.close();
  await using back = await openChat(server.origin, bob, { after: 0 });
  // Within the replay cap the missed messages come on the socket; beyond it, resync and history.
  let received = back.all("message").map((f) => f.message.id);
  if (back.all("resync").length) received = await allHistory(bob, LOBBY_ID);
  assert.deepEqual(received, acks, "every message, on reconnect");
});

async function allHistory(
  client: ReturnType<typeof createClient>,
  conversationId: number,
): Promise<number[]> {
  const ids: number[] = [];
  let before = "";
  for (;;) {
    const page =
      await (await client.get(`/api/conversations/${conversationId}/messages?limit=100${before}`))
        .json();
    ids.unshift(...page.messages.map((m: { id: number }) => m.id));
    if (!page.hasMore) return ids;
    before = `&before=${page.messages[0].id}`;
  }
}

Deno.test("the log records sockets opening and closing, per user", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const a = await openChat(server.origin, alice);
  await a.close();
  await sleep(50);
  assert.ok(server.lines.some((l) => /socket\.open user=alice conn=\d+ sockets=1/.test(l)));
  assert.ok(
    server.lines.some((l) => /socket\.close user=alice conn=\d+ code=1000 sockets=0/.test(l)),
  );
});

Deno.test("a connection that stops answering pings is dropped and its user goes offline", async () => {
  await using server = await startTestServer({ HEARTBEAT_S: "1", PRESENCE_GRACE_MS: "100" });
  const folks = await people(server, "alice", "bob");
  await befriend(folks.alice, "alice", folks.bob, "bob");
  await using a = await openChat(server.origin, folks.alice);
  // bob's socket: the handshake, then silence: no pongs, as from a machine that lost its network.
  const port = Number(new URL(server.origin).port);
  const raw = await Deno.connect({ hostname: "127.0.0.1", port });
  await raw.write(new TextEncoder().encode(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.origin}\r\nCookie: ${folks.bob.cookieHeader}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  ));
  await a.waitFor((f) => f.type === "presence" && f.online);
  const started = performance.now();
  await a.waitFor((f) => f.type === "presence" && !f.online, 10_000);
  assert.ok(performance.now() - started < 5000, "dropped within a few heartbeats");
  raw.close();
});
