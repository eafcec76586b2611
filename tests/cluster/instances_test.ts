// Several instances, one product: real server processes sharing one PostgreSQL and one Redis,
// with people spread over them. What one instance's users do reaches the others' users.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";
import { type ServerProcess, spawnServer } from "../helpers/server.ts";
import { befriend, openChat, openDirect } from "../helpers/socket.ts";
import { sleep, waitUntil } from "../helpers/wait.ts";

const postgres = await testPostgres();
if (!postgres && requireServers()) {
  throw new Error("PostgreSQL is required here, and not installed");
}
const skip = !postgres || withoutRedis;
if (!postgres) console.warn("SKIPPED: the multi-instance tests (no PostgreSQL binaries found)");

const TTL_S = 3;

/** A cluster of `count` instances on a fresh database and a Redis of its own. */
async function cluster(count: number, env: Record<string, string> = {}) {
  const database = await postgres!.freshDatabase();
  const redis = await startRedis();
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    // One deployment: the same prefix for all (tests/helpers/backend.ts gives each data dir its own).
    REDIS_PREFIX: `cluster-${crypto.randomUUID().slice(0, 8)}`,
    PRESENCE_TTL_S: String(TTL_S),
    PRESENCE_GRACE_MS: "200",
    ...env,
  };
  const instances: ServerProcess[] = [];
  for (let i = 0; i < count; i++) instances.push(await spawnServer(shared));
  return {
    instances,
    redis,
    async [Symbol.asyncDispose]() {
      await Promise.all(instances.map((instance) => instance[Symbol.asyncDispose]()));
      await redis.stop();
      await database[Symbol.asyncDispose]();
    },
  };
}

/** Someone registered on one instance, and now using another (sessions are in the database). */
function on(instance: ServerProcess, client: ReturnType<typeof createClient>) {
  const moved = createClient(instance.origin);
  for (const [name, value] of client.jar) moved.jar.set(name, value);
  return moved;
}

Deno.test({
  name: "two instances: presence, Lobby and direct messages, typing and blocks cross between them",
  ignore: skip,
  async fn() {
    await using c = await cluster(2);
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const bob = createClient(two.origin);
    await bob.register("bob");
    await befriend(alice, "alice", bob, "bob");

    await using a = await openChat(one.origin, alice);
    await using b = await openChat(two.origin, bob);
    await a.waitFor((f) => f.type === "presence" && f.userId !== undefined && f.online);

    await a.say(LOBBY_ID, "hello from one");
    await b.waitFor((f) => f.type === "message" && f.message.text === "hello from one");
    const dm = await openDirect(bob, "alice");
    await b.say(dm, "a secret from two");
    await a.waitFor((f) => f.type === "message" && f.message.text === "a secret from two");

    a.send({ type: "typing", conversationId: dm });
    await b.waitFor((f) => f.type === "typing" && f.user.username === "alice");

    // bob blocks alice on two: one hides bob from her Lobby messages... and hers from him.
    assert.equal((await bob.post("/api/blocks", { username: "alice" })).status, 201);
    await sleep(300);
    const before = b.all("message").length;
    await a.say(LOBBY_ID, "bob should not see this");
    await sleep(500);
    assert.equal(b.all("message").length, before, "the block holds on the other instance");
  },
});

Deno.test({
  name: "a password changed on one instance closes that user's other sessions on every instance",
  ignore: skip,
  async fn() {
    await using c = await cluster(2);
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const elsewhere = createClient(two.origin);
    await elsewhere.login("alice");
    await using there = await openChat(two.origin, elsewhere);
    const changed = await alice.post("/api/password", {
      current: PASSWORDS.alice,
      new: "a new and longer passphrase",
    });
    assert.ok(changed.ok, await changed.text());
    const closed = await Promise.race([
      there.closed,
      sleep(10_000).then(() => ({ code: "still open after 10 s" })),
    ]);
    assert.equal(closed.code, 4001, "closed as a session that ended");
  },
});

Deno.test({
  name: "rate limits hold across instances: sends spread over two count as one",
  ignore: skip,
  async fn() {
    await using c = await cluster(2, { MESSAGES_PER_10S: "10" });
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    await using a1 = await openChat(one.origin, alice);
    await using a2 = await openChat(two.origin, on(two, alice));
    const answers = [];
    for (let i = 0; i < 16; i++) answers.push(await (i % 2 ? a2 : a1).say(LOBBY_ID, `n${i}`));
    const acked = answers.filter((f) => f.type === "ack").length;
    const limited = answers.filter((f) => f.type === "error" && f.code === "rate_limited").length;
    assert.equal(acked, 10, "ten in ten seconds, whichever instance took them");
    assert.equal(limited, 6);
  },
});

Deno.test({
  name: "SOCKETS_PER_USER holds across instances: places taken on one count on the other",
  ignore: skip,
  async fn() {
    await using c = await cluster(2, { SOCKETS_PER_USER: "2" });
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const elsewhere = on(two, alice);
    const first = await openChat(one.origin, alice);
    await using _second = await openChat(two.origin, elsewhere);
    const third = await fetch(`${two.origin}/ws`, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        Origin: two.origin,
        Cookie: elsewhere.cookieHeader,
      },
    });
    await third.body?.cancel();
    assert.equal(third.status, 429, "the third place is refused on the other instance");
    await first.close(); // gives its place back, on every instance
    await waitUntil(async () => {
      const again = await openChat(two.origin, elsewhere).catch(() => null);
      if (again) await again.close();
      return again !== null;
    }, { timeoutMs: 5000, what: "a place to free up", everyMs: 100 });
  },
});

Deno.test({
  name:
    "kill -9 of an instance: its users' friends see them offline within the TTL, and they resume on another with nothing lost or doubled",
  ignore: skip,
  async fn() {
    await using c = await cluster(2, { MESSAGES_PER_10S: "1000" });
    const [one, two] = c.instances;
    const alice = createClient(two.origin);
    await alice.register("alice");
    const bob = createClient(one.origin);
    await bob.register("bob");
    await befriend(on(one, alice), "alice", bob, "bob");
    await using a = await openChat(two.origin, alice);
    const b = await openChat(one.origin, bob);
    await a.waitFor((f) => f.type === "presence" && f.online);

    // bob sends on one while it is killed: what was acknowledged must survive, once.
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) {
      const clientId = crypto.randomUUID();
      sent.push(clientId);
      b.send({ type: "send", clientId, conversationId: LOBBY_ID, text: `burst ${i}` });
    }
    await waitUntil(() => b.all("ack").length >= 10, { what: "some acks" });
    const killedAt = Date.now();
    await one.stop("SIGKILL");
    await Promise.race([b.closed, sleep(10_000)]);
    const acked = new Map(b.all("ack").map((f) => [f.clientId, f.id]));

    const offline = await a.waitFor(
      (f) => f.type === "presence" && !f.online,
      (TTL_S + 5) * 1000,
    );
    const took = Date.now() - killedAt;
    assert.ok(took <= (TTL_S + 2) * 1000, `offline after ${took} ms (TTL ${TTL_S} s)`);
    assert.ok(offline.type === "presence" && offline.lastSeenAt !== null);

    // bob comes back on two, resumes from the start, and re-sends everything.
    await using back = await openChat(two.origin, on(two, bob), { after: 0 });
    await back.waitFor((f) => f.type === "caught_up");
    for (const [i, clientId] of sent.entries()) {
      back.send({ type: "send", clientId, conversationId: LOBBY_ID, text: `burst ${i}` });
    }
    await waitUntil(() => back.all("ack").length >= sent.length, {
      timeoutMs: 10_000,
      what: "every re-send acknowledged",
    });
    for (const ack of back.all("ack")) {
      if (acked.has(ack.clientId)) assert.equal(ack.id, acked.get(ack.clientId), "the same id");
    }
    const ids = new Set(back.all("ack").map((f) => f.id));
    assert.equal(ids.size, sent.length, "each message stored once");
    await a.waitFor((f) => f.type === "presence" && f.online, 5000);
  },
});

Deno.test({
  name:
    "a graceful stop of an instance: its users look offline to friends after the reload grace, not the TTL, unless their page moved to another instance",
  ignore: skip,
  async fn() {
    const GRACE_MS = 500;
    // A TTL far longer than the test: only the hand-off can take alice offline in time.
    await using c = await cluster(2, { PRESENCE_TTL_S: "60", PRESENCE_GRACE_MS: String(GRACE_MS) });
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    const aliceId = (await alice.register("alice")).id;
    const carol = createClient(one.origin);
    const carolId = (await carol.register("carol")).id;
    const bob = createClient(two.origin);
    await bob.register("bob");
    await befriend(on(one, bob), "bob", alice, "alice");
    await befriend(on(one, bob), "bob", carol, "carol");
    await using b = await openChat(two.origin, bob);
    const a = await openChat(one.origin, alice);
    const k = await openChat(one.origin, carol);
    await b.waitFor((f) => f.type === "presence" && f.userId === aliceId && f.online);
    await b.waitFor((f) => f.type === "presence" && f.userId === carolId && f.online);

    const stoppedAt = Date.now();
    await one.stop("SIGTERM");
    await Promise.all([a.closed, k.closed]);
    // carol's page reconnects to the other instance within the grace; alice's does not.
    await using back = await openChat(two.origin, on(two, carol));
    await back.waitFor((f) => f.type === "caught_up");

    const offline = await b.waitFor(
      (f) => f.type === "presence" && f.userId === aliceId && !f.online,
      20_000,
    );
    const took = Date.now() - stoppedAt;
    // The grace, then the next sweep (every TTL / 10 = 6 s): far less than the 60 s TTL.
    assert.ok(took < GRACE_MS + 6000 + 3000, `alice offline ${took} ms after the stop`);
    assert.ok(offline.type === "presence" && offline.lastSeenAt !== null);
    await sleep(GRACE_MS + 1000);
    assert.equal(
      b.all("presence").filter((f) => f.userId === carolId && !f.online).length,
      0,
      "carol, back on two within the grace, never looked offline",
    );
  },
});

Deno.test({
  name:
    "Redis restarted under load: instances carry on by themselves, sockets are told to resync, nothing acknowledged is lost",
  ignore: skip,
  async fn() {
    await using c = await cluster(2, { MESSAGES_PER_10S: "1000" });
    const [one, two] = c.instances;
    const alice = createClient(one.origin);
    await alice.register("alice");
    const bob = createClient(two.origin);
    await bob.register("bob");
    await using a = await openChat(one.origin, alice);
    await using b = await openChat(two.origin, bob);
    let sending = true;
    const acked: number[] = [];
    const load = (async () => {
      for (let i = 0; sending; i++) {
        const answer = await a.say(LOBBY_ID, `under load ${i}`);
        if (answer.type === "ack") acked.push(answer.id);
        await sleep(5);
      }
    })();
    await sleep(300);
    await c.redis.restart({ downMs: 500 });
    await b.waitFor((f) => f.type === "resync", 10_000); // bob may have missed some: reload
    // Messages cross again once both instances are back on Redis.
    const after = await waitUntil(async () => {
      const answer = await a.say(LOBBY_ID, "after the restart");
      if (answer.type !== "ack") return undefined;
      return await b.waitFor((f) => f.type === "message" && f.message.id === answer.id, 1000)
        .catch(() => undefined);
    }, { timeoutMs: 10_000, what: "a message to cross after the restart", everyMs: 200 });
    assert.ok(after);
    sending = false;
    await load;
    assert.ok(one.process.pid && two.process.pid, "both still running");
    // Each instance's two Redis clients reconnect on their own schedules: the health check says
    // "broker" until both have, then healthy again, by itself.
    for (const instance of [one, two]) {
      await waitUntil(async () => (await (await fetch(`${instance.origin}/healthz`)).json()).ok, {
        timeoutMs: 10_000,
        everyMs: 100,
        what: `${instance.origin}/healthz to be ok again`,
      });
    }
    // Everything acknowledged is stored: the whole Lobby history holds every acked id.
    const reader = on(two, bob);
    const stored = new Set<number>();
    for (let before = Number.MAX_SAFE_INTEGER;;) {
      const page = await (await reader.get(
        `/api/conversations/${LOBBY_ID}/messages?limit=100&before=${before}`,
      )).json() as { messages: { id: number }[]; hasMore: boolean };
      for (const m of page.messages) stored.add(m.id);
      if (!page.hasMore || page.messages.length === 0) break;
      before = page.messages[0].id;
    }
    assert.ok(acked.length > 20, `${acked.length} acknowledged under load`);
    for (const id of acked) assert.ok(stored.has(id), `acknowledged message ${id} is stored`);
  },
});
