// One Redis connection as the broker and presence open it: what an operator reads when it fails.
import assert from "node:assert/strict";
import { createLogger } from "../../lib/log.ts";
import { connectRedis } from "../../lib/realtime/redis.ts";
import { startRedis, withoutRedis } from "../helpers/redis.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: withoutRedis, fn });
const quiet = createLogger("error", () => {});
// 2 s: on a loaded box (load 9 on 2 cores) even a refusal once took longer than 0.5 s to arrive.
const open = (url: string) =>
  connectRedis({ url, name: "test", log: quiet, connectTimeoutMs: 2000 });

test("an unreachable Redis at start is one line naming it and why", async () => {
  await using redis = await startRedis();
  await redis.stop();
  const error = await open(redis.url).then(() => null, (e: Error) => e);
  assert.match(
    error?.message ?? "",
    /^Could not connect to Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
  );
  assert.ok(!error!.message.includes("\n"));
});

test("a wrong password at start is one line that says so, without the password", async () => {
  await using redis = await startRedis({ password: "the-right-one" });
  const url = redis.url.replace("redis://", "redis://:guess-123@");
  const error = await open(url).then(() => null, (e: Error) => e);
  assert.match(error?.message ?? "", /^Could not connect to Redis at .*: WRONGPASS/);
  assert.ok(!error!.message.includes("guess-123"), error!.message);
});

test("the right password connects", async () => {
  await using redis = await startRedis({ password: "the-right-one" });
  const client = await open(redis.url.replace("redis://", "redis://:the-right-one@"));
  assert.equal(await client.ping(), "PONG");
  await client.close();
});
