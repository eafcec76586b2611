// Two instances of the services in this test process, on one store and one throwaway Redis:
// the seams between them (the Redis broker and presence) are real; only the process boundary
// is not.
import assert from "node:assert/strict";
import { memoryLimiters } from "../../lib/limits.ts";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import { createRedisBroker, type RedisBroker } from "../../lib/realtime/broker_redis.ts";
import { createRedisPresence, type RedisPresence } from "../../lib/realtime/presence_redis.ts";
import { startSocketSession } from "../../lib/realtime/socket_session.ts";
import { createServices, type Services } from "../../lib/services.ts";
import { openStore } from "../../lib/store/mod.ts";
import type { User } from "../../lib/store/types.ts";
import { LOBBY_ID, type ServerFrame } from "../../lib/wire.ts";
import { FakeSocket } from "../helpers/harness.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";
import { sleep } from "../helpers/wait.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: withoutRedis, fn });

async function twoInstances() {
  const redis = await startRedis();
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-instances-" });
  const config = loadConfig({ PRESENCE_GRACE_MS: "0", DATA_DIR: dataDir });
  const log = createLogger("error", () => {});
  const { store } = await openStore(config, log);
  const opened: { services: Services; broker: RedisBroker; presence: RedisPresence }[] = [];
  const sockets: FakeSocket[] = [];
  async function instance() {
    const broker = await createRedisBroker({ url: redis.url, log });
    const presence = await createRedisPresence({ url: redis.url, log, ttlS: 30 });
    const backends = { store, broker, presence, limiters: memoryLimiters };
    const services = await createServices(config, backends, log);
    opened.push({ services, broker, presence });
    return {
      services,
      /** Opens a socket session for the user here and waits until it is live. */
      async connect(user: User): Promise<FakeSocket> {
        const socket = new FakeSocket();
        sockets.push(socket);
        const who = { user, sessionKey: crypto.randomUUID(), after: null, release: () => {} };
        startSocketSession(services.socketSession, socket, who);
        socket.open();
        await socket.waitFor((f) => f.type === "caught_up");
        return socket;
      },
    };
  }
  const person = async (name: string) => (await store.users.create(name, "hash", Date.now()))!;
  return {
    redis,
    a: await instance(),
    b: await instance(),
    alice: await person("alice"),
    bob: await person("bob"),
    async [Symbol.asyncDispose]() {
      for (const { services } of opened) services.stop("test done");
      for (const socket of sockets) socket.close(1001, "test done");
      for (const { broker, presence } of opened) {
        await Promise.all([broker.close(), presence.close()]);
      }
      await store.close();
      await redis[Symbol.asyncDispose]();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

test("a Lobby message sent on one instance reaches a socket on the other, once", async () => {
  await using cluster = await twoInstances();
  const onA = await cluster.a.connect(cluster.alice);
  const onB = await cluster.b.connect(cluster.bob);
  const ack = await onA.say(LOBBY_ID, "across");
  const got = await onB.waitFor((f) => f.type === "message");
  assert.ok(got.type === "message" && ack.type === "ack" && got.message.id === ack.id);
  await onB.settle();
  assert.equal(onB.all("message").length, 1);
});

test("after a Redis restart, every socket on both instances is told to resync", async () => {
  await using cluster = await twoInstances();
  const onA = await cluster.a.connect(cluster.alice);
  const onB = await cluster.b.connect(cluster.bob);
  await cluster.redis.restart({ downMs: 100 });
  await onA.waitFor((f) => f.type === "resync");
  await onB.waitFor((f) => f.type === "resync");
});

test("a user online on one instance is online for a friend on the other, until their last tab anywhere closes", async () => {
  await using cluster = await twoInstances();
  const { a, b, alice, bob } = cluster;
  await a.services.friendships.request(alice, bob.username);
  await a.services.friendships.accept(bob, alice.username);
  const bobOnB = await b.connect(bob);
  const aliceOnA = await a.connect(alice);
  const online = (f: ServerFrame) => f.type === "presence" && f.userId === alice.id && f.online;
  await bobOnB.waitFor(online);
  const aliceOnB = await b.connect(alice);
  assert.deepEqual(aliceOnB.snapshot.friends.map((f) => [f.username, f.online]), [["bob", true]]);
  aliceOnA.close(1000, "tab closed");
  await sleep(300); // a's release (grace 0) has long been answered
  const seen = () => bobOnB.all("presence").filter((f) => f.userId === alice.id);
  assert.deepEqual(seen().map((f) => f.online), [true], "still online through the tab on b");
  aliceOnB.close(1000, "tab closed");
  await bobOnB.waitFor((f) => f.type === "presence" && f.userId === alice.id && !f.online);
  assert.deepEqual(seen().map((f) => f.online), [true, false]);
});
