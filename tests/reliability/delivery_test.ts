// Delivery guarantees against a real server process: resume, duplicates, order.
import assert from "node:assert/strict";
import { REPLAY_CAP } from "../../lib/protocol.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { openTestDatabase } from "../helpers/backend.ts";
import { type Client, createClient } from "../helpers/client.ts";
import { sleep } from "../helpers/wait.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const FAST = { MESSAGES_PER_10S: "1000000", REGISTER_PER_IP_PER_HOUR: "100000" };

async function people(origin: string, count: number, prefix = "user"): Promise<Client[]> {
  return await Promise.all(Array.from({ length: count }, async (_, i) => {
    const client = createClient(origin);
    await client.register(`${prefix}${i}`);
    return client;
  }));
}

Deno.test("a client that drops gets exactly the 200 messages it missed, in order, while traffic goes on", async () => {
  await using server = await spawnServer(FAST);
  const [reader, ...senders] = await people(server.origin, 4);
  const sockets = await Promise.all(senders.map((s) => openChat(server.origin, s)));
  const first = await openChat(server.origin, reader);
  await sockets[0].say(LOBBY_ID, "seen before the drop");
  const seen = await first.waitFor((f) => f.type === "message");
  const lastSeen = seen.type === "message" ? seen.message.seq : 0;
  await first.close();

  const missedIds: number[] = [];
  for (let n = 0; n < 200; n++) {
    const ack = await sockets[n % 3].say(LOBBY_ID, `while away ${n}`);
    if (ack.type === "ack") missedIds.push(ack.id);
  }
  // Traffic continues during the reconnect.
  let flowing = true;
  const traffic = (async () => {
    for (let n = 0; flowing; n++) {
      await sockets[n % 3].say(LOBBY_ID, `during reconnect ${n}`);
      await sleep(2);
    }
  })();
  const back = await openChat(server.origin, reader, { after: lastSeen });
  await sleep(200);
  flowing = false;
  await traffic;
  const last = await sockets[0].say(LOBBY_ID, "the last one");
  await back.waitFor((f) =>
    f.type === "message" && f.message.id === (last.type === "ack" ? last.id : -1)
  );

  const received = back.all("message").map((f) => f.message.id);
  assert.deepEqual(received.slice(0, 200), missedIds, "exactly the 200 missed, in order");
  assert.equal(new Set(received).size, received.length, "no duplicates");
  assert.deepEqual([...received].sort((a, b) => a - b), received, "in stored order");
  await using db = await openTestDatabase(server);
  const stored = (await db.all("SELECT id FROM messages WHERE id > ? ORDER BY id", lastSeen) as {
    id: number;
  }[])
    .map((r) => r.id);
  assert.deepEqual(received, stored, "everything stored since, nothing skipped");
  await Promise.all([...sockets, back].map((s) => s.close()));
});

Deno.test("beyond the replay cap a reconnecting client gets resync", async () => {
  await using server = await spawnServer(FAST);
  const [reader, sender] = await people(server.origin, 2);
  const s = await openChat(server.origin, sender);
  for (let n = 0; n <= REPLAY_CAP; n++) {
    s.send({
      type: "send",
      clientId: crypto.randomUUID(),
      conversationId: LOBBY_ID,
      text: `n${n}`,
    });
  }
  await s.waitFor(() => s.all("ack").length === REPLAY_CAP + 1, 20_000);
  const back = await openChat(server.origin, reader, { after: 0 });
  assert.equal(back.all("resync").length, 1);
  assert.equal(back.all("message").length, 0);
  await Promise.all([s.close(), back.close()]);
});

Deno.test("one clientId sent on two sockets at once, and again after a restart: one row, identical acks", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-dup-" });
  const first = await spawnServer(FAST, { dataDir });
  const [alice] = await people(first.origin, 1, "alice");
  const tab1 = await openChat(first.origin, alice);
  const tab2 = await openChat(first.origin, alice);
  const clientId = crypto.randomUUID();
  const [a1, a2] = await Promise.all([
    tab1.say(LOBBY_ID, "twice?", clientId),
    tab2.say(LOBBY_ID, "twice?", clientId),
  ]);
  assert.equal(a1.type, "ack");
  assert.deepEqual(a1, a2);
  await first.stop("SIGTERM");

  await using second = await spawnServer(FAST, { dataDir });
  const moved = createClient(second.origin);
  for (const [k, v] of alice.jar) moved.jar.set(k, v);
  const again = await openChat(second.origin, moved);
  assert.deepEqual(await again.say(LOBBY_ID, "twice?", clientId), a1);
  await again.close();
  await using db = await openTestDatabase(second);
  const [{ n }] = await db.all<{ n: number }>(
    "SELECT COUNT(*) AS n FROM messages WHERE client_id = ?",
    clientId,
  );
  assert.equal(n, 1);
});

Deno.test("10 concurrent senders: every receiver sees one sequence, the stored order", async () => {
  await using server = await spawnServer(FAST);
  const senders = await people(server.origin, 10, "sender");
  const receivers = await people(server.origin, 3, "reader");
  const readerSockets = await Promise.all(receivers.map((r) => openChat(server.origin, r)));
  const senderSockets = await Promise.all(senders.map((s) => openChat(server.origin, s)));
  const PER = 50;
  await Promise.all(senderSockets.map(async (socket, i) => {
    for (let n = 0; n < PER; n++) {
      socket.send({
        type: "send",
        clientId: crypto.randomUUID(),
        conversationId: LOBBY_ID,
        text: `${i}/${n}`,
      });
      if (n % 10 === 0) await sleep(1);
    }
  }));
  const total = senders.length * PER;
  for (const socket of [...readerSockets, ...senderSockets]) {
    await socket.waitFor(() => socket.all("message").length === total, 20_000);
  }
  await using db = await openTestDatabase(server);
  const stored = (await db.all<{ id: number }>("SELECT id FROM messages ORDER BY id")).map((r) =>
    r.id
  );
  for (const socket of [...readerSockets, ...senderSockets]) {
    assert.deepEqual(socket.all("message").map((f) => f.message.id), stored);
  }
  // Each sender's own messages keep the order it sent them in.
  const texts = readerSockets[0].all("message").map((f) => f.message.text);
  for (let i = 0; i < senders.length; i++) {
    const mine = texts.filter((t) => t.startsWith(`${i}/`)).map((t) => Number(t.split("/")[1]));
    assert.deepEqual(mine, [...mine].sort((a, b) => a - b));
  }
  await Promise.all([...readerSockets, ...senderSockets].map((s) => s.close()));
});
