// Storage failures, connection churn and slow readers, against real servers.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { sqliteOnly } from "../helpers/backend.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { type Client, createClient } from "../helpers/client.ts";
import { people } from "../helpers/people.ts";
import { sleep } from "../helpers/wait.ts";
import { abortedHandshake, rssMiB } from "../helpers/proc.ts";
import { spawnServer, startTestServer } from "../helpers/server.ts";
import { befriend, openChat } from "../helpers/socket.ts";

const CHURN = Number(Deno.env.get("CHURN_CONNECTIONS") ?? 2000);

Deno.test({
  name:
    "while the database cannot write: no ack, no delivery, a clear error; after recovery the retry is stored once",
  ignore: sqliteOnly, // on PostgreSQL: tests/cluster (the server restarted under load)
}, async () => {
  await using server = await spawnServer({ DB_BUSY_TIMEOUT_MS: "200" });
  const alice = createClient(server.origin);
  const bob = createClient(server.origin);
  await alice.register("alice");
  await bob.register("bob");
  const a = await openChat(server.origin, alice);
  const b = await openChat(server.origin, bob);

  const locker = new DatabaseSync(server.databasePath);
  locker.exec("BEGIN IMMEDIATE"); // another writer holds the lock past the busy timeout
  const clientId = crypto.randomUUID();
  const refused = await a.say(LOBBY_ID, "while locked", clientId);
  assert.equal(refused.type, "error");
  assert.ok(
    refused.type === "error" && refused.code === "store_failed" && refused.clientId === clientId,
  );
  assert.match(refused.type === "error" ? refused.message : "", /could not be saved/);
  assert.equal(a.all("ack").length, 0);
  await sleep(100);
  assert.equal(b.all("message").length, 0, "nothing was delivered");
  const health = await fetch(`${server.origin}/healthz`);
  assert.equal(health.status, 200, "reads still work");
  await health.body?.cancel();
  locker.exec("ROLLBACK");
  locker.close();

  const ack = await a.say(LOBBY_ID, "while locked", clientId);
  assert.equal(ack.type, "ack", JSON.stringify(ack));
  await b.waitFor((f) => f.type === "message" && f.message.clientId === clientId);
  const db = new DatabaseSync(server.databasePath, { readOnly: true });
  assert.equal(
    (db.prepare("SELECT COUNT(*) AS n FROM messages WHERE client_id = ?").get(clientId) as {
      n: number;
    }).n,
    1,
  );
  db.close();
  await Promise.all([a.close(), b.close()]);
});

async function churn(origin: string, clients: Client[], total: number) {
  const BATCH = 50;
  for (let done = 0; done < total; done += BATCH) {
    await Promise.all(Array.from({ length: BATCH }, async (_, i) => {
      const client = clients[(done + i) % clients.length];
      if ((done + i) % 10 === 9) return abortedHandshake(origin, client.cookieHeader);
      const socket = await openChat(origin, client, { waitForSnapshot: (done + i) % 3 !== 0 });
      await socket.close();
    }));
  }
}

Deno.test("thousands of connects and disconnects: nobody is left online and memory returns near its baseline", async () => {
  // A small heap makes V8 collect as it goes: RSS then shows what is kept, not garbage not yet
  // collected; a leak would grow past the cap and crash the server.
  await using server = await spawnServer(
    { PRESENCE_GRACE_MS: "100", REGISTER_PER_IP_PER_HOUR: "100000" },
    { v8Flags: "--max-old-space-size=48" },
  );
  const observer = createClient(server.origin);
  await observer.register("observer");
  const users: Client[] = [];
  for (let i = 0; i < 20; i++) {
    const user = createClient(server.origin);
    await user.register(`churner${i}`);
    await befriend(user, `churner${i}`, observer, "observer");
    users.push(user);
  }
  const pid = server.process.pid;
  // After a warm-up has grown the heap to its working size, a leak would keep RSS climbing
  // with every further connection; what is released leaves it flat.
  const WARM_UP = 2000;
  await churn(server.origin, users, WARM_UP);
  await sleep(500);
  const afterFirst = await rssMiB(pid);
  await churn(server.origin, users, CHURN);
  await sleep(500);
  const afterLast = await rssMiB(pid);
  console.log(
    `RSS after ${WARM_UP} connections: ${afterFirst.toFixed(1)} MiB; after ${CHURN} more: ${
      afterLast.toFixed(1)
    } MiB`,
  );
  assert.ok(
    afterLast < afterFirst + 12,
    `no growth across rounds (${afterFirst.toFixed(1)} → ${afterLast.toFixed(1)} MiB)`,
  );

  await using watcher = await openChat(server.origin, observer);
  assert.equal(watcher.snapshot.friends.length, 20);
  assert.deepEqual(
    watcher.snapshot.friends.filter((f) => f.online).map((f) => f.username),
    [],
    "nobody online",
  );
  const socketLines = server.lines.filter((l) => l.includes("socket.open")).length;
  const closeLines = server.lines.filter((l) => l.includes("socket.close")).length;
  assert.equal(
    socketLines,
    closeLines + 1,
    "every socket that opened was closed (but the watcher's)",
  );
});

Deno.test("churn in-process leaves no timers, sockets or ops behind (test sanitizers on)", async () => {
  const server = await startTestServer({ PRESENCE_GRACE_MS: "50" });
  const folks = await people(server, "alice", "bob", "carol");
  await churn(server.origin, Object.values(folks), 300);
  await sleep(200);
  assert.equal(server.services.hub.connectionCount(), 0);
  for (const user of ["alice", "bob", "carol"]) {
    const found = await server.store.users.findByName(user);
    assert.equal(
      await server.services.presence.isOnline(found!.id),
      false,
      `${user} is offline`,
    );
  }
  await server[Symbol.asyncDispose]();
});

Deno.test("a reader that stops during heavy fan-out is dropped, server memory stays bounded, others keep up", async () => {
  await using server = await spawnServer({
    MESSAGES_PER_10S: "1000000",
    REGISTER_PER_IP_PER_HOUR: "100000",
  });
  const sender = createClient(server.origin);
  await sender.register("sender");
  const watchers = await Promise.all([0, 1, 2].map(async (i) => {
    const c = createClient(server.origin);
    await c.register(`watcher${i}`);
    return openChat(server.origin, c);
  }));
  const stuck = createClient(server.origin);
  await stuck.register("stuck");
  const { hostname, port } = new URL(server.origin);
  const raw = await Deno.connect({ hostname, port: Number(port) });
  await raw.write(new TextEncoder().encode(
    `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${server.origin}\r\nCookie: ${stuck.cookieHeader}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  ));
  const s = await openChat(server.origin, sender);
  const baseline = await rssMiB(server.process.pid);
  let peak = baseline;
  const text = "z".repeat(3900);
  for (let burst = 0; burst < 40; burst++) {
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    for (const clientId of ids) s.send({ type: "send", clientId, conversationId: LOBBY_ID, text });
    await s.waitFor((f) => f.type === "ack" && f.clientId === ids.at(-1), 20_000);
    peak = Math.max(peak, await rssMiB(server.process.pid));
  }
  console.log(
    `RSS during 16 MB of fan-out to a stuck reader: ${baseline.toFixed(1)} → peak ${
      peak.toFixed(1)
    } MiB`,
  );
  assert.ok(
    server.lines.some((l) => l.includes("socket.slow") && l.includes("user=stuck")),
    "the stuck reader was dropped",
  );
  // The peak is the heap growing under the bursts, not the backlog: frames are built once and
  // shared by every recipient. Alone, it is +20-30 MiB on either backend; on PostgreSQL under
  // the parallel suite it went to +65-78 MiB in about one run in four, before send pipelining
  // as after it (measured 2026-12-02), so the bound there is wider.
  const bound = server.databaseUrl ? 96 : 64;
  assert.ok(
    peak < baseline + bound,
    "memory stayed bounded: the stuck reader's backlog was not kept",
  );
  const last = s.all("ack").at(-1)!.id;
  for (const w of watchers) {
    await w.waitFor((f) => f.type === "message" && f.message.id === last, 20_000);
  }
  raw.close();
  await Promise.all([s.close(), ...watchers.map((w) => w.close())]);
});
