// The broker contract on Redis (each instance a broker with its own two connections to one
// throwaway redis-server), then what happens when Redis goes away.
import assert from "node:assert/strict";
import { createClient } from "redis";
import { createLogger } from "../../lib/log.ts";
import type { Envelope } from "../../lib/realtime/broker.ts";
import { createRedisBroker, type RedisBroker } from "../../lib/realtime/broker_redis.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";
import { waitUntil } from "../helpers/wait.ts";
import { brokerContract } from "./broker_contract.ts";

const quiet = createLogger("error", () => {});

async function deployment() {
  const redis = await startRedis();
  const brokers: RedisBroker[] = [];
  return {
    redis,
    async instance(): Promise<RedisBroker> {
      const broker = await createRedisBroker({ url: redis.url, log: quiet });
      brokers.push(broker);
      return broker;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(brokers.map((broker) => broker.close()));
      await redis[Symbol.asyncDispose]();
    },
  };
}

brokerContract("redis", deployment, withoutRedis);

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: withoutRedis, fn });
const lobby = (text: string): Envelope => ({ topic: "everyone", frame: text });

/** Publishes until the other instance hears one: the link works again. */
async function untilHeard(from: RedisBroker, to: RedisBroker, what: string) {
  const heard: Envelope[] = [];
  const stop = to.onEnvelope((envelope) => heard.push(envelope));
  try {
    await waitUntil(() => {
      from.publish(lobby(`probe ${what}`));
      return heard.length > 0;
    }, { what, timeoutMs: 5000, everyMs: 20 });
  } finally {
    stop();
  }
}

test("a Redis restart under two subscribed brokers crashes nothing, tells both, and they hear each other again", async () => {
  await using d = await deployment();
  const [a, b] = [await d.instance(), await d.instance()];
  const told = { a: 0, b: 0 };
  a.onInterrupted(() => told.a++);
  b.onInterrupted(() => told.b++);
  await untilHeard(a, b, "before the restart");
  assert.ok(a.ready());
  await d.redis.stop();
  await waitUntil(() => !a.ready() && !b.ready(), { what: "both to see Redis gone" });
  await d.redis.start();
  const backAt = Date.now();
  await waitUntil(() => told.a > 0 && told.b > 0, { what: "both told", timeoutMs: 5000 });
  await waitUntil(() => a.ready() && b.ready(), { what: "both ready again" });
  await untilHeard(a, b, "a to b after the restart");
  await untilHeard(b, a, "b to a after the restart");
  assert.ok(Date.now() - backAt < 5000, `linked again after ${Date.now() - backAt} ms`);
});

test("publishing while Redis is down does not throw: this instance hears it, and it is counted as dropped", async () => {
  await using d = await deployment();
  const a = await d.instance();
  const heard: Envelope[] = [];
  a.onEnvelope((envelope) => heard.push(envelope));
  await d.redis.stop();
  let published = 0;
  await waitUntil(() => {
    a.publish(lobby(`while down ${published++}`));
    return a.stats().dropped > 0;
  }, { what: "a publish to be dropped", everyMs: 5 });
  assert.equal(heard.length, published, "every one reached this instance's listeners at once");
  await d.redis.start();
  const b = await d.instance();
  await untilHeard(a, b, "a to a new instance once Redis is back");
});

test("an instance whose publishing link alone was cut tells the others it dropped envelopes", async () => {
  await using d = await deployment();
  const [a, b] = [await d.instance(), await d.instance()];
  let told = 0;
  b.onInterrupted(() => told++);
  await using admin = await adminClient(d.redis.url);
  const clients = await admin.sendCommand(["CLIENT", "LIST"]) as string;
  const line = clients.split("\n").find((l) =>
    l.includes(`name=ugochat:broker.publish:${a.instanceId}`)
  );
  assert.ok(line, clients);
  await admin.sendCommand(["CLIENT", "KILL", "ID", /\bid=(\d+)/.exec(line)![1]]);
  await waitUntil(() => {
    a.publish(lobby("while a is cut off"));
    return a.stats().dropped > 0;
  }, { what: "a publish to be dropped", everyMs: 1 });
  await waitUntil(() => told > 0, { what: "b told of the gap", timeoutMs: 5000 });
  assert.equal(b.stats().interruptions, 1, "b's own subscription never broke");
});

/** A plain connection for what a test does to Redis itself. */
async function adminClient(url: string) {
  const client = createClient({ url });
  client.on("error", () => {}); // the server is restarted under it in some tests
  await client.connect();
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

test("two deployments on one Redis, each with its own prefix, do not hear each other", async () => {
  await using redis = await startRedis();
  const ours = await createRedisBroker({ url: redis.url, log: quiet, prefix: "ours" });
  const theirs = await createRedisBroker({ url: redis.url, log: quiet, prefix: "theirs" });
  const alsoOurs = await createRedisBroker({ url: redis.url, log: quiet, prefix: "ours" });
  try {
    const heardByTheirs: Envelope[] = [];
    theirs.onEnvelope((envelope) => heardByTheirs.push(envelope));
    await untilHeard(ours, alsoOurs, "ours to ours");
    assert.deepEqual(heardByTheirs, []);
  } finally {
    await Promise.all([ours.close(), theirs.close(), alsoOurs.close()]);
  }
});
