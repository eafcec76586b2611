// The presence contract: what every PresenceStore guarantees, as sentences. A deployment's
// instance() is one more process on it; the sentences about several processes and about
// expiry run only on stores shared by processes (for memory, there is one process).
import assert from "node:assert/strict";
import type { PresenceStore } from "../../lib/realtime/presence.ts";
import { sleep, waitUntil } from "../helpers/wait.ts";

export type OpenPresence = () => Promise<{
  instance(): Promise<PresenceStore>;
  [Symbol.asyncDispose](): Promise<void>;
}>;

export type PresenceContractOptions = {
  /** Instances are separate processes sharing the store (hold counts per process). */
  shared: boolean;
  /** The TTL the instances were opened with, in seconds. */
  ttlS?: number;
  ignore?: boolean;
};

const [alice, bob, carol] = [1, 2, 3];

export function presenceContract(
  backend: string,
  open: OpenPresence,
  options: PresenceContractOptions,
) {
  const it = (sentence: string, body: (instance: () => Promise<PresenceStore>) => Promise<void>) =>
    Deno.test({
      name: `${backend} presence: ${sentence}`,
      ignore: options.ignore,
      async fn() {
        await using deployment = await open();
        await body(() => deployment.instance());
      },
    });
  const across = options.shared ? it : () => {};

  it("the first hold says the user came online, a second hold says nothing", async (instance) => {
    const here = await instance();
    assert.equal(await here.hold(alice), true);
    assert.equal(await here.hold(alice), false);
    assert.deepEqual(await here.onlineAmong([alice]), new Set([alice]));
  });

  it("a release says the user went offline, and releasing nobody says nothing", async (instance) => {
    const here = await instance();
    await here.hold(alice);
    assert.equal(await here.release(alice), true);
    assert.equal(await here.release(alice), false);
    assert.equal(await here.release(bob), false);
    assert.deepEqual(await here.onlineAmong([alice, bob]), new Set());
  });

  it("onlineAmong answers for many users at once, only the held ones", async (instance) => {
    const here = await instance();
    await here.hold(alice);
    await here.hold(carol);
    assert.deepEqual(await here.onlineAmong([alice, bob, carol, 99]), new Set([alice, carol]));
    assert.deepEqual(await here.onlineAmong([]), new Set());
  });

  it("a user released and held again comes online again", async (instance) => {
    const here = await instance();
    await here.hold(alice);
    await here.release(alice);
    assert.equal(await here.hold(alice), true);
  });

  across("a user held on two instances and released on one is still online", async (instance) => {
    const [a, b] = [await instance(), await instance()];
    assert.equal(await a.hold(alice), true);
    assert.equal(await b.hold(alice), false, "already online through a");
    assert.equal(await a.release(alice), false, "b still holds her");
    assert.deepEqual(await a.onlineAmong([alice]), new Set([alice]));
    assert.equal(await b.release(alice), true);
    assert.deepEqual(await a.onlineAmong([alice]), new Set());
  });

  across(
    "of two instances racing to hold a user, exactly one says came online",
    async (instance) => {
      const [a, b] = [await instance(), await instance()];
      const users = Array.from({ length: 50 }, (_, i) => 100 + i);
      const said = await Promise.all(users.map((u) => Promise.all([a.hold(u), b.hold(u)])));
      for (const [i, pair] of said.entries()) {
        assert.equal(pair.filter(Boolean).length, 1, `user ${users[i]}: ${pair}`);
      }
    },
  );

  across(
    "of two instances racing to release a user, exactly one says went offline",
    async (instance) => {
      const [a, b] = [await instance(), await instance()];
      const users = Array.from({ length: 50 }, (_, i) => 100 + i);
      for (const u of users) await Promise.all([a.hold(u), b.hold(u)]);
      const said = await Promise.all(users.map((u) => Promise.all([a.release(u), b.release(u)])));
      for (const [i, pair] of said.entries()) {
        assert.equal(pair.filter(Boolean).length, 1, `user ${users[i]}: ${pair}`);
      }
    },
  );

  across(
    "the users of an instance that stops refreshing expire within the TTL, reported once",
    async (instance) => {
      const [dying, b, c] = [await instance(), await instance(), await instance()];
      const reported: number[] = [];
      b.onExpired!((userId) => reported.push(userId));
      c.onExpired!((userId) => reported.push(userId));
      await dying.hold(alice);
      await dying.hold(bob);
      await b.hold(bob); // bob is also online elsewhere: not reported
      await dying.close(); // no release: as a killed process leaves them
      const stoppedAt = Date.now();
      const ttlMs = options.ttlS! * 1000;
      await waitUntil(() => reported.includes(alice), {
        what: "alice reported",
        timeoutMs: ttlMs * 2,
      });
      const tookMs = Date.now() - stoppedAt;
      assert.ok(tookMs <= ttlMs + 500, `reported after ${tookMs} ms, TTL ${ttlMs} ms`);
      assert.deepEqual(await b.onlineAmong([alice, bob]), new Set([bob]));
      await sleep(ttlMs / 2); // more sweeps by both, which must not report her again
      assert.deepEqual(reported, [alice]);
    },
  );
}
