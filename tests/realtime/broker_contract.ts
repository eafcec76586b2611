// The broker contract: what every broker guarantees, as sentences. Each backend's test file
// calls brokerContract with a way to open a fresh deployment, whose instance() is one more
// process on it (for the memory broker, the one process itself).
import assert from "node:assert/strict";
import type { Broker, Envelope } from "../../lib/realtime/broker.ts";
import { waitUntil } from "../helpers/wait.ts";

export type OpenDeployment = () => Promise<{
  instance(): Promise<Broker>;
  [Symbol.asyncDispose](): Promise<void>;
}>;

export function brokerContract(backend: string, open: OpenDeployment, ignore = false) {
  const it = (sentence: string, body: (instance: () => Promise<Broker>) => Promise<void>) =>
    Deno.test({
      name: `${backend} broker: ${sentence}`,
      ignore,
      async fn() {
        await using deployment = await open();
        await body(() => deployment.instance());
      },
    });

  it("every listener hears every envelope, in publish order", async (instance) => {
    const broker = await instance();
    const first = record(broker);
    const second = record(broker);
    const sent = mixed("a", 50);
    for (const envelope of sent) broker.publish(envelope);
    assert.deepEqual(first.heard, sent);
    assert.deepEqual(second.heard, sent);
  });

  it("the publishing instance hears its envelope before publish returns", async (instance) => {
    const broker = await instance();
    const mine = record(broker);
    broker.publish(lobby("now"));
    assert.deepEqual(mine.heard, [lobby("now")]);
  });

  it("an instance hears its own envelope once, not again when it comes back", async (instance) => {
    const [a, b] = [await instance(), await instance()];
    const onA = record(a);
    const onB = record(b);
    a.publish(lobby("from a"));
    await until(() => onB.heard.length === 1, "b to hear a");
    b.publish(lobby("from b")); // sent after a's came round, so it arrives after any echo of it
    await until(() => onA.heard.length >= 2, "a to hear b");
    assert.deepEqual(onA.heard, [lobby("from a"), lobby("from b")]);
  });

  it("another instance hears every envelope of the first, whole and in order", async (instance) => {
    const [a, b] = [await instance(), await instance()];
    const onB = record(b);
    const sent = mixed("a", 300);
    for (const envelope of sent) a.publish(envelope);
    await until(() => onB.heard.length >= sent.length, "b to hear all 300");
    assert.deepEqual(onB.heard, sent);
  });

  it("envelopes of two publishers each keep their publisher's order", async (instance) => {
    const [a, b, c] = [await instance(), await instance(), await instance()];
    const onC = record(c);
    const fromA = mixed("a", 100);
    const fromB = mixed("b", 100);
    for (let i = 0; i < 100; i++) {
      a.publish(fromA[i]);
      b.publish(fromB[i]);
    }
    await until(() => onC.heard.length >= 200, "c to hear both publishers");
    const by = (who: string) => onC.heard.filter((e) => "frame" in e && e.frame.startsWith(who));
    assert.deepEqual(by("a"), fromA.filter((e) => "frame" in e));
    assert.deepEqual(by("b"), fromB.filter((e) => "frame" in e));
  });

  it("a listener that stopped hears nothing more, and the others still do", async (instance) => {
    const [a, b] = [await instance(), await instance()];
    const stopped = record(b);
    const still = record(b);
    stopped.stop();
    a.publish(lobby("after stop"));
    await until(() => still.heard.length === 1, "the remaining listener");
    assert.deepEqual(stopped.heard, []);
  });
}

function record(broker: Broker) {
  const heard: Envelope[] = [];
  const stop = broker.onEnvelope((envelope) => heard.push(envelope));
  return { heard, stop };
}

const until = (check: () => boolean, what: string) => waitUntil(check, { what });

const lobby = (text: string): Envelope => ({ topic: "everyone", frame: text });

/**
 * Every kind of envelope: to a user (some changing what rooms they receive), to a room's
 * members, to everyone with a seq and exceptions, session closes.
 */
function mixed(who: string, count: number): Envelope[] {
  return Array.from({ length: count }, (_, i): Envelope => {
    if (i % 10 === 9) {
      return { topic: "everyone", closeSessions: [`${who}-${i}`], code: 4001, reason: "ended" };
    }
    if (i % 10 === 5) {
      return {
        topic: `user:${i}`,
        frame: `${who} ${i}`,
        membership: { conversationId: i, joined: i % 4 === 1 },
      };
    }
    if (i % 5 === 2) {
      return { topic: `conversation:${i}`, frame: `${who} ${i}`, seq: i, except: [i] };
    }
    if (i % 3 === 0) return { topic: `user:${i}`, frame: `${who} ${i} "quoted" ü` };
    return { topic: "everyone", frame: `${who} ${i}`, seq: i, except: [i, i + 1] };
  });
}
