// One Redis connection as the broker and presence use it: it reconnects by itself forever,
// fails commands at once while it is down (nothing queues up behind an outage), and reports
// an outage once when it starts and once when it ends, never as an exception.
import { createHash } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import type { Logger } from "../log.ts";

/** Reconnection backs off to at most this, so a restarted Redis is back in use within ~1 s. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** How long opening waits for a first connection before it tells the operator why not. */
const CONNECT_TIMEOUT_MS = 5000;
/** How long closing waits for the replies still due before it drops the connection. */
const CLOSE_TIMEOUT_MS = 1000;

export type RedisClient = RedisClientType;

/** Connections being closed on purpose: their end is not an outage. */
const closing = new WeakSet<RedisClient>();

export type RedisOptions = {
  url: string;
  /** Names this connection in the log and, as `ugochat:<name>`, in Redis's CLIENT LIST. */
  name: string;
  log: Logger;
  /** Called when the connection is in use again after an outage (not on the first connect). */
  onReconnected?: () => void;
  /** How long opening waits for a first connection; 5 s unless told. */
  connectTimeoutMs?: number;
};

/** Connects, or throws one readable line (unreachable, wrong password) after a few seconds. */
export async function connectRedis(options: RedisOptions): Promise<RedisClient> {
  const { url, name, log } = options;
  const client = createClient({
    url,
    name: `ugochat:${name}`,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries) =>
        Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) + Math.random() * 100,
    },
  });
  let lastError = "no answer";
  let up = false;
  let connectedOnce = false;
  const lost = () => {
    if (!up || closing.has(client)) return;
    up = false;
    log.warn("redis.down", { connection: name, error: lastError });
  };
  // Without an error listener, node's EventEmitter throws the error: a Redis restart would
  // kill the process.
  client.on("error", (error: Error) => {
    lastError = error.message || error.name;
    lost();
  });
  client.on("end", lost);
  client.on("reconnecting", lost);
  client.on("ready", () => {
    up = true;
    lastError = "no answer";
    if (!connectedOnce) return void (connectedOnce = true);
    log.info("redis.up", { connection: name });
    options.onReconnected?.();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.destroy();
      reject(new Error(`Could not connect to Redis at ${redact(url)}: ${lastError}`));
    }, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** Closes a connection whether or not it is up: waits for replies only while it is. */
export async function disconnect(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  closing.add(client);
  if (!client.isReady) return client.destroy();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((done) => timer = setTimeout(done, CLOSE_TIMEOUT_MS));
  await Promise.race([client.close().catch(() => {}), late]);
  clearTimeout(timer);
  if (client.isOpen) client.destroy(); // a reply that never came must not hold up shutdown
}

/** A Lua script run by its hash; sent in full only when Redis does not know it (restarted). */
export function luaScript(source: string) {
  const sha = createHash("sha1").update(source).digest("hex");
  return async function run(client: RedisClient, keys: string[], args: string[]) {
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      return await client.eval(source, { keys, arguments: args });
    }
  };
}

/** The URL without its password, for messages an operator reads. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}
