// kill -9 in the middle of a burst: every acknowledged message survives exactly once.
import assert from "node:assert/strict";
import { openTestDatabase, TEST_BACKEND } from "../helpers/backend.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { type Client, createClient } from "../helpers/client.ts";
import { sleep } from "../helpers/wait.ts";
import { seededRandom } from "../helpers/random.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const SENDERS = Number(Deno.env.get("KILL9_SENDERS") ?? 20);
const PER_SENDER = Number(Deno.env.get("KILL9_MESSAGES") ?? 200);
const KILL_POINTS = Number(Deno.env.get("KILL9_POINTS") ?? 3);
const FAST = {
  MESSAGES_PER_10S: "1000000",
  REGISTER_PER_IP_PER_HOUR: "100000",
  LOGIN_PER_IP_PER_MIN: "100000",
};

function moveTo(origin: string, client: Client): Client {
  const moved = createClient(origin);
  for (const [name, value] of client.jar) moved.jar.set(name, value);
  return moved;
}

Deno.test("SIGKILL mid-burst: the database is intact and every acknowledged message is stored exactly once", async () => {
  const random = seededRandom("kill9");
  for (let point = 0; point < KILL_POINTS; point++) {
    const dataDir = await Deno.makeTempDir({ prefix: "ugochat-kill9-" });
    const server = await spawnServer(FAST, { dataDir });
    const clients = await Promise.all(Array.from({ length: SENDERS }, async (_, i) => {
      const client = createClient(server.origin);
      await client.register(`sender${i}`);
      return client;
    }));
    const sockets = await Promise.all(clients.map((c) => openChat(server.origin, c)));
    const sent = sockets.map(() => [] as string[]);
    let killed = false;
    const killAtAcks = Math.floor((0.05 + random() * 0.9) * SENDERS * PER_SENDER);
    console.log(
      `  kill point ${point + 1}: SIGKILL once ${killAtAcks} acknowledgements have arrived`,
    );
    // A paced burst (each sender one message per tick, ~1 s in all), so the kill lands inside it.
    const burst = (async () => {
      for (let n = 0; n < PER_SENDER && !killed; n++) {
        sockets.forEach((socket, i) => {
          const clientId = crypto.randomUUID();
          sent[i].push(clientId);
          socket.send({
            type: "send",
            clientId,
            conversationId: LOBBY_ID,
            text: `sender ${i} message ${n}`,
          });
        });
        await sleep(5);
      }
    })();
    const ackCount = () => sockets.reduce((n, s) => n + s.all("ack").length, 0);
    while (ackCount() < killAtAcks) await sleep(1);
    killed = true;
    await server.stop("SIGKILL");
    await burst;
    await Promise.all(sockets.map((s) => s.closed));
    const acked = new Map<string, number>();
    for (const socket of sockets) {
      for (const ack of socket.all("ack")) acked.set(ack.clientId, ack.id);
    }
    const total = sent.reduce((n, list) => n + list.length, 0);
    console.log(`  ${acked.size} of ${total} sent were acknowledged before the kill`);

    await using again = await spawnServer(FAST, { dataDir });
    await using db = await openTestDatabase(again);
    if (TEST_BACKEND === "sqlite") {
      const [check] = await db.all<{ integrity_check: string }>("PRAGMA integrity_check");
      assert.equal(check.integrity_check, "ok");
    }
    const rows = new Map(
      (await db.all<{ client_id: string; id: number }>("SELECT client_id, id FROM messages"))
        .map((r) => [r.client_id, r.id]),
    );
    const rowCount = async () =>
      (await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM messages"))[0].n;
    assert.equal(rows.size, await rowCount(), "no clientId is stored twice");
    for (const [clientId, id] of acked) {
      assert.equal(rows.get(clientId), id, `acknowledged ${clientId} is stored with its id`);
    }

    // Every sender re-sends everything it sent: acknowledged ones come back with their original ids.
    const before = await rowCount();
    const resent = await Promise.all(clients.map(async (client, i) => {
      const socket = await openChat(again.origin, moveTo(again.origin, client));
      const acks = [];
      for (const clientId of sent[i]) {
        socket.send({
          type: "send",
          clientId,
          conversationId: LOBBY_ID,
          text: `sender ${i} retry`,
        });
      }
      for (const clientId of sent[i]) {
        acks.push(await socket.waitFor((f) => f.type === "ack" && f.clientId === clientId, 20_000));
      }
      await socket.close();
      return acks;
    }));
    for (const acks of resent) {
      for (const ack of acks) {
        if (ack.type !== "ack") continue;
        if (acked.has(ack.clientId)) {
          assert.equal(ack.id, acked.get(ack.clientId), "the original id");
        }
        if (rows.has(ack.clientId)) {
          assert.equal(ack.id, rows.get(ack.clientId), "stored before the kill: not stored again");
        }
      }
    }
    assert.equal(
      await rowCount(),
      before + (total - rows.size),
      "only messages lost before their ack were stored, each once",
    );
    assert.equal(await rowCount(), total, "now every message sent is stored exactly once");
  }
});
