import assert from "node:assert/strict";
import { createRateLimiter } from "../../lib/rate_limits.ts";

Deno.test("a key may act `limit` times per window, then waits until its oldest hit leaves the window", () => {
  const limiter = createRateLimiter({ limit: 3, windowMs: 10_000 });
  assert.deepEqual([0, 1000, 2000].map((t) => limiter.take("alice", t)), [0, 0, 0]);
  assert.equal(limiter.take("alice", 3000), 7, "7 s until the hit at 0 leaves");
  assert.equal(limiter.take("bob", 3000), 0, "other keys are unaffected");
  assert.equal(limiter.take("alice", 10_000), 0, "the hit at 0 has left");
  assert.equal(limiter.take("alice", 10_500), 1);
  limiter.clear("alice");
  assert.equal(limiter.take("alice", 10_500), 0);
});

Deno.test("many hits in one window stay cheap and exact", () => {
  const limiter = createRateLimiter({ limit: 50_000, windowMs: 1000 });
  for (let t = 0; t < 100_000; t++) limiter.record("flood", t / 100); // 100 k hits over 1 s
  assert.equal(limiter.retryAfterS("flood", 1000), 1, "50 000 within the last second");
  assert.equal(limiter.retryAfterS("flood", 2001), 0, "all gone a second later");
});
