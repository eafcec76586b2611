// The broker of many processes: envelopes travel on one Redis pub/sub channel, so every process
// hears every envelope in the order each publisher sent it (one channel, not one per topic:
// a user's frame and a Lobby frame from one process must not overtake each other).
// The publishing process hands an envelope to its own listeners at once and skips it when
// Redis echoes it back. Redis being down never throws: publishes are dropped and counted, the
// connections come back by themselves, and listeners of onInterrupted learn that they may have
// missed something.
import type { Logger } from "../log.ts";
import type { Broker, Envelope } from "./broker.ts";
import { connectRedis, disconnect, type RedisClient } from "./redis.ts";

/** Every message on the channel starts with its publisher's id, this long. */
const ID_LENGTH = 16;
/** A publisher's notice, after it was cut off, that it dropped envelopes meanwhile. */
const DROPPED = "dropped";
/**
 * Envelopes published in one turn of the event loop (a group commit's messages, a DM's two
 * members) travel as one Redis message of up to this many: one command instead of many.
 */
const MAX_BATCH = 256;

export type RedisBrokerOptions = {
  url: string;
  log: Logger;
  /**
   * Names the deployment in a shared Redis: its instances meet on `<prefix>:envelopes`.
   * "ugochat" unless told; deployments (and test servers) sharing one Redis need their own.
   */
  prefix?: string;
};

export type RedisBrokerStats = {
  /** Envelopes sent to Redis. */
  published: number;
  /** Envelopes that could not be sent (Redis down): only this process's listeners heard them. */
  dropped: number;
  /** Times onInterrupted fired. */
  interruptions: number;
};

export type RedisBroker = Broker & {
  onInterrupted(listener: () => void): () => void;
  /** This process's id on the channel. */
  readonly instanceId: string;
  /** Whether both connections are up now (for /healthz). */
  ready(): boolean;
  stats(): RedisBrokerStats;
};

export async function createRedisBroker(options: RedisBrokerOptions): Promise<RedisBroker> {
  const { url, log } = options;
  const channel = `${options.prefix ?? "ugochat"}:envelopes`;
  const instanceId = crypto.randomUUID().replaceAll("-", "").slice(0, ID_LENGTH);
  const listeners = new Set<(envelope: Envelope) => void>();
  const interruptedListeners = new Set<() => void>();
  const stats: RedisBrokerStats = { published: 0, dropped: 0, interruptions: 0 };
  let unannounced = 0; // envelopes dropped that the other instances have not heard about

  function interrupted() {
    stats.interruptions++;
    for (const listen of interruptedListeners) {
      try {
        listen();
      } catch (error) {
        log.error("broker.interrupted_listener_failed", {}, error);
      }
    }
  }

  function deliver(envelope: Envelope) {
    for (const listen of listeners) {
      try {
        listen(envelope);
      } catch (error) {
        // One listener's bug must not cost the next listener its envelope, nor the subscription.
        log.error("broker.listener_failed", { topic: envelope.topic }, error);
      }
    }
  }

  function hear(message: string) {
    if (message.startsWith(instanceId)) return; // already delivered here when published
    const body = message.slice(ID_LENGTH);
    if (body === DROPPED) return interrupted();
    let envelopes: Envelope[];
    try {
      envelopes = JSON.parse(body);
    } catch (error) {
      return log.error("broker.bad_message", { channel }, error);
    }
    for (const envelope of envelopes) deliver(envelope);
  }

  function send(message: string, sent: () => void, failed: () => void) {
    if (!pub.isReady) return failed();
    pub.publish(channel, message).then(sent, failed);
  }

  let batch: string[] = [];
  function flush() {
    if (batch.length === 0) return;
    const sending = batch;
    batch = [];
    sendNotice();
    send(
      `${instanceId}[${sending.join(",")}]`,
      () => stats.published += sending.length,
      () => {
        stats.dropped += sending.length;
        unannounced += sending.length;
      },
    );
  }

  function sendNotice() {
    if (unannounced === 0) return;
    const envelopes = unannounced;
    unannounced = 0;
    send(
      instanceId + DROPPED,
      () => log.warn("broker.dropped_while_down", { envelopes }),
      () => unannounced += envelopes,
    );
  }

  const pub: RedisClient = await connectRedis({
    url,
    log,
    name: `broker.publish:${instanceId}`,
    onReconnected: sendNotice,
  });
  let sub: RedisClient;
  try {
    sub = await connectRedis({
      url,
      log,
      name: `broker.subscribe:${instanceId}`,
      // The client has subscribed again by the time it is ready: what is published from now on
      // arrives, and what was published while it was away is gone.
      onReconnected: interrupted,
    });
    await sub.subscribe(channel, hear);
  } catch (error) {
    await disconnect(pub);
    throw error;
  }

  const broker: RedisBroker = {
    instanceId,
    publish(envelope) {
      deliver(envelope);
      batch.push(JSON.stringify(envelope));
      if (batch.length === 1) queueMicrotask(flush);
      else if (batch.length >= MAX_BATCH) flush();
    },
    onEnvelope(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onInterrupted(listener) {
      interruptedListeners.add(listener);
      return () => interruptedListeners.delete(listener);
    },
    stats: () => ({ ...stats }),
    ready: () => pub.isReady && sub.isReady,
    async close() {
      flush();
      listeners.clear();
      interruptedListeners.clear();
      await Promise.all([disconnect(pub), disconnect(sub)]);
    },
  };
  return broker;
}

const _: (options: RedisBrokerOptions) => Promise<Broker> = createRedisBroker;
