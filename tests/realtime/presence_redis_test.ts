// The presence contract on Redis (each instance its own connection to one throwaway
// redis-server, with a 2 s TTL), then a process killed with SIGKILL and Redis going away.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createLogger } from "../../lib/log.ts";
import { createRedisPresence, type RedisPresence } from "../../lib/realtime/presence_redis.ts";
import { REDIS_ENV } from "../../lib/realtime/redis_env.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";
import { sleep, waitUntil } from "../helpers/wait.ts";
import { presenceContract } from "./presence_contract.ts";

const TTL_S = 2;
const quiet = createLogger("error", () => {});

async function deployment(ttlS = TTL_S) {
  const redis = await startRedis();
  const instances: RedisPresence[] = [];
  return {
    redis,
    async instance(): Promise<RedisPresence> {
      const presence = await createRedisPresence({ url: redis.url, log: quiet, ttlS });
      instances.push(presence);
      return presence;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(instances.map((presence) => presence.close()));
      await redis[Symbol.asyncDispose]();
    },
  };
}

presenceContract("redis", deployment, { shared: true, ttlS: TTL_S, ignore: withoutRedis });

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: withoutRedis, fn });

test("a process killed with SIGKILL has its users reported offline within the TTL, once, by a live one", async () => {
  await using d = await deployment();
  const [b, c] = [await d.instance(), await d.instance()];
  const reported: number[] = [];
  b.onExpired((userId) => reported.push(userId));
  c.onExpired((userId) => reported.push(userId));
  await b.hold(2); // bob is also online on b: not reported
  await using holder = await holdInAnotherProcess(d.redis.url, TTL_S, [1, 2]);
  await sleep(TTL_S * 1000); // its heartbeat has kept alice online past one TTL
  assert.deepEqual(await b.onlineAmong([1, 2]), new Set([1, 2]));
  holder.kill();
  const killedAt = Date.now();
  await waitUntil(() => reported.includes(1), { what: "alice reported", timeoutMs: 5000 });
  const tookMs = Date.now() - killedAt;
  assert.ok(tookMs <= TTL_S * 1000 + 500, `reported ${tookMs} ms after the kill`);
  await sleep(500);
  assert.deepEqual(reported, [1]);
  assert.deepEqual(await c.onlineAmong([1, 2]), new Set([2]));
});

test("while Redis is down holds still announce and onlineAmong answers from this process", async () => {
  await using d = await deployment();
  const a = await d.instance();
  await a.hold(1);
  await d.redis.stop();
  await waitUntil(() => !a.ready(), { what: "a to see Redis gone" });
  assert.equal(await a.hold(2), true, "announce: twice is harmless, never is not");
  assert.equal(await a.release(1), false, "left to expire and be reported");
  assert.deepEqual(await a.onlineAmong([1, 2, 3]), new Set([2]));
});

test("after Redis restarts empty, the heartbeat writes this process's users back at once", async () => {
  await using d = await deployment(30); // a 10 s heartbeat: only the reconnect can be this quick
  const [a, b] = [await d.instance(), await d.instance()];
  await a.hold(1);
  await d.redis.restart({ downMs: 100 });
  await waitUntil(async () => (await b.onlineAmong([1])).has(1), {
    what: "alice online again",
    timeoutMs: 5000,
    everyMs: 50,
  });
});

/** A real second process holding these users, with exactly the permissions REDIS_ENV names. */
async function holdInAnotherProcess(url: string, ttlS: number, users: number[]) {
  const { host } = new URL(url);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--allow-net=${host}`,
      `--allow-env=${REDIS_ENV.join(",")}`,
      fileURLToPath(new URL("../fixtures/presence_holder.ts", import.meta.url)),
      url,
      String(ttlS),
      ...users.map(String),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!said.includes("held")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the holder exited: ${await child.status}`);
    said += value;
  }
  reader.releaseLock();
  return {
    kill: () => child.kill("SIGKILL"),
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch { /* already killed */ }
      await child.stdout.cancel();
      await child.status;
    },
  };
}

test("two deployments on one Redis, each with its own prefix, see only their own users", async () => {
  await using redis = await startRedis();
  const open = (prefix: string) =>
    createRedisPresence({ url: redis.url, log: quiet, ttlS: TTL_S, prefix });
  const [ours, theirs] = [await open("ours"), await open("theirs")];
  try {
    assert.equal(await ours.hold(1), true);
    assert.equal(await theirs.hold(1), true, "their user 1 is someone else");
    assert.equal(await theirs.release(1), true);
    assert.deepEqual(await ours.onlineAmong([1]), new Set([1]));
  } finally {
    await Promise.all([ours.close(), theirs.close()]);
  }
});
