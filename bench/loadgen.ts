// The load generator, in its own process: `deno run -A bench/loadgen.ts <config.json>`.
// Prints one JSON line with the measurements. Latency is read on probe sockets from a
// timestamp inside each payload; CPU and RSS come from /proc.
import { cpuSeconds, type Kind, RawSocket, rssKiB } from "./wire.ts";

export type User = { cookie?: string; after?: number };
export type Config = {
  kind: Kind;
  port: number;
  serverPid: number;
  /** cluster: every instance's port, users spread over them in turn (else `port` alone). */
  ports?: number[];
  /** cluster: every instance's pid, whose CPU is summed (else `serverPid` alone). */
  serverPids?: number[];
  scenario: "fanout" | "idle" | "dm" | "overload" | "reconnect" | "rooms";
  users: User[];
  senders: number;
  payloadBytes: number;
  /** fanout: deliveries per second to try, in order; overload: the one rate. */
  rates: number[];
  stepSeconds: number;
  idleSteps?: number[]; // idle: connection counts to measure RSS at
  dmConversations?: number[]; // dm: one conversation per pair
  /** rooms: room k's conversation; its members are the k-th run of users.length / rooms users. */
  roomConversations?: number[];
};

const MARK = "@@";

/** Server CPU seconds so far, over every instance. */
const serverCpu = (config: Config) =>
  (config.serverPids ?? [config.serverPid]).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function pad(text: string, bytes: number) {
  return text + "x".repeat(Math.max(0, bytes - text.length));
}

/** The frame a sender sends, for each kind of server. */
function messageFrame(kind: Kind, text: string, conversationId = 1): string {
  if (kind === "reference") return text;
  if (kind === "socketio") return `42["msg","${text}"]`;
  return `{"type":"send","clientId":"${crypto.randomUUID()}","conversationId":${conversationId},"text":"${text}"}`;
}

/** Whether a received frame is a delivered chat message. */
function isDelivery(kind: Kind, p: Uint8Array): boolean {
  if (kind === "reference") return true;
  if (kind === "socketio") return p[0] === 0x34 && p[1] === 0x32; // "42"
  return p[9] === 0x6d; // {"type":"m…: a message frame
}

const decoder = new TextDecoder();
function stampOf(p: Uint8Array): number {
  const text = decoder.decode(p);
  const start = text.indexOf(MARK);
  return start === -1 ? NaN : parseFloat(text.slice(start + 2, text.indexOf(MARK, start + 2)));
}

type Client = RawSocket & {
  deliveries: number;
  probe: boolean;
  /** Delivery latencies (probes only), and acknowledgement latencies. */
  latencies: number[];
  ackLatencies: number[];
  acks: Map<string, number>;
  /** The conversation it sends into: the Lobby (1), but for a room's sender. */
  conversationId: number;
};

async function connect(
  config: Config,
  user: User,
  probe: boolean,
  index = 0,
): Promise<Client> {
  const { kind } = config;
  const port = config.ports ? config.ports[index % config.ports.length] : config.port;
  const path = kind === "ugochat"
    ? `/ws${user.after !== undefined ? `?after=${user.after}` : ""}`
    : kind === "socketio"
    ? "/socket.io/?EIO=4&transport=websocket"
    : "/";
  const headers: Record<string, string> = kind === "ugochat"
    ? { Origin: `http://127.0.0.1:${port}`, Cookie: user.cookie! }
    : {};
  const socket = await RawSocket.open(port, path, headers) as Client;
  socket.deliveries = 0;
  socket.probe = probe;
  socket.latencies = [];
  socket.ackLatencies = [];
  socket.acks = new Map();
  socket.conversationId = 1;
  const ready = Promise.withResolvers<void>();
  socket.onText = (p) => {
    if (isDelivery(kind, p)) {
      socket.deliveries++;
      if (socket.probe) {
        const stamp = stampOf(p);
        if (Number.isFinite(stamp)) socket.latencies.push(now() - stamp);
      }
      return;
    }
    if (kind === "socketio") {
      if (p[0] === 0x32 && p.length === 1) socket.sendText("3"); // engine.io ping → pong
      else if (p[0] === 0x30) socket.sendText("40"); // open → join the namespace
      else if (p[0] === 0x34 && p[1] === 0x30) ready.resolve(); // "40": joined
    } else if (kind === "ugochat") {
      if (p[9] === 0x63) ready.resolve(); // caught_up: live
      else if (p[9] === 0x61) { // ack: latency from send to acknowledgement
        const text = decoder.decode(p);
        const clientId = text.slice(
          text.indexOf('"clientId":"') + 12,
          text.indexOf('"clientId":"') + 48,
        );
        const sentAt = socket.acks.get(clientId);
        if (sentAt !== undefined) {
          socket.acks.delete(clientId);
          socket.ackLatencies.push(now() - sentAt);
        }
      }
    }
  };
  socket.start();
  if (kind === "reference") ready.resolve();
  await ready.promise;
  return socket;
}

async function connectAll(config: Config, users: User[], probeEvery: number): Promise<Client[]> {
  const clients: Client[] = [];
  const BATCH = 100;
  for (let i = 0; i < users.length; i += BATCH) {
    clients.push(
      ...await Promise.all(
        users.slice(i, i + BATCH).map((u, j) =>
          connect(config, u, (i + j) % probeEvery === 0, i + j)
        ),
      ),
    );
  }
  return clients;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * Sends `rate` deliveries per second for `seconds`, then waits for stragglers; measures it all.
 * Each message makes `recipients` deliveries: every client's, unless the senders' audiences are
 * smaller (rooms).
 */
async function step(
  config: Config,
  clients: Client[],
  senders: Client[],
  rate: number,
  seconds: number,
  recipients = clients.length,
) {
  const messagesPerSecond = rate / recipients;
  for (const c of clients) {
    c.deliveries = 0;
    c.latencies = [];
  }
  const cpuServer0 = serverCpu(config);
  const cpuSelf0 = cpuSeconds("self");
  const started = now();
  let sent = 0;
  let turn = 0;
  const TICK_MS = 5;
  while (now() - started < seconds * 1000) {
    const due = Math.floor(((now() - started) / 1000) * messagesPerSecond);
    for (; sent < due; sent++) {
      const sender = senders[turn++ % senders.length];
      sender.sendText(
        messageFrame(
          config.kind,
          pad(`${MARK}${now().toFixed(3)}${MARK}`, config.payloadBytes),
          sender.conversationId,
        ),
      );
    }
    await sleep(TICK_MS);
  }
  const elapsed = (now() - started) / 1000;
  await sleep(500); // stragglers
  const cpuServer = serverCpu(config) - cpuServer0;
  const cpuSelf = cpuSeconds("self") - cpuSelf0;
  const delivered = clients.reduce((n, c) => n + c.deliveries, 0);
  const latencies = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const expected = sent * recipients;
  return {
    target_deliveries_per_s: rate,
    deliveries_per_s: Math.round(delivered / elapsed),
    delivered_fraction: expected ? delivered / expected : 1,
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    cpu_us_per_delivery: delivered ? (cpuServer * 1e6) / delivered : null,
    server_cpu_percent: (100 * cpuServer) / (elapsed + 0.5),
    generator_cpu_percent: (100 * cpuSelf) / (elapsed + 0.5),
    client_bound: (100 * cpuSelf) / (elapsed + 0.5) > 85,
  };
}

async function fanout(config: Config) {
  const clients = await connectAll(config, config.users, 10);
  await sleep(500);
  const steps = await climb(config, clients, clients.slice(0, config.senders));
  clients.forEach((c) => c.close());
  return { steps };
}

/** Steps through the rates until one has p99 over 100 ms or less than 99 % delivered. */
async function climb(config: Config, clients: Client[], senders: Client[], recipients?: number) {
  const steps = [];
  for (const rate of config.rates) {
    const result = await step(config, clients, senders, rate, config.stepSeconds, recipients);
    steps.push(result);
    if (result.p99_ms === null || result.p99_ms > 100 || result.delivered_fraction < 0.99) break;
    await sleep(300);
  }
  return steps;
}

/**
 * Rooms of equal size, each with one sender (its last member) sending into it, so that every
 * message reaches that room's members, the sender's own socket included.
 */
async function rooms(config: Config) {
  const ids = config.roomConversations!;
  const size = config.users.length / ids.length;
  // Every room's first member is a probe, so latency is read away from the sender.
  const clients = await connectAll(config, config.users, size);
  await sleep(500);
  const senders = ids.map((id, k) => {
    const sender = clients[(k + 1) * size - 1];
    sender.conversationId = id;
    return sender;
  });
  const steps = await climb(config, clients, senders, size);
  clients.forEach((c) => c.close());
  return { steps };
}

async function overload(config: Config) {
  const clients = await connectAll(config, config.users, 10);
  await sleep(1000);
  const idleRss = rssKiB(config.serverPid);
  let peak = idleRss;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(config.serverPid))), 100);
  const senders = clients.slice(0, config.senders);
  const load = await step(config, clients, senders, config.rates[0], config.stepSeconds);
  await sleep(2000);
  // Clients the server dropped as too slow come back, as real ones do, before recovery is judged.
  const back = await Promise.all(
    clients.map((c, i) => (c.closed ? connect(config, config.users[i], i % 10 === 0, i) : c)),
  );
  const after = await step(
    config,
    back,
    back.slice(0, config.senders),
    Math.min(20_000, config.rates[0] / 10),
    2,
  );
  clients.splice(0, clients.length, ...back);
  clearInterval(sampler);
  clients.forEach((c) => c.close());
  return {
    idle_rss_mib: idleRss / 1024,
    peak_rss_mib: peak / 1024,
    load,
    recovered: after.delivered_fraction >= 0.99 && (after.p99_ms ?? Infinity) < 100,
    after,
  };
}

async function idle(config: Config) {
  const points: { connections: number; rss_kib: number }[] = [];
  const clients: Client[] = [];
  for (const target of config.idleSteps!) {
    clients.push(
      ...await connectAll(config, config.users.slice(clients.length, target), 1_000_000),
    );
    await sleep(1500);
    points.push({ connections: clients.length, rss_kib: rssKiB(config.serverPid) });
  }
  const cpu0 = serverCpu(config);
  await sleep(5000);
  const idleCpu = (100 * (serverCpu(config) - cpu0)) / 5;
  clients.forEach((c) => c.close());
  const [first, last] = [points[0], points.at(-1)!];
  return {
    points,
    kib_per_conn: (last.rss_kib - first.rss_kib) / (last.connections - first.connections),
    idle_cpu_percent: idleCpu,
  };
}

/** Direct messages at stepped rates (open loop): acknowledged per second, and ack latency. */
async function dm(config: Config) {
  const clients = await connectAll(config, config.users, 1_000_000);
  await sleep(500);
  const steps = [];
  for (const rate of config.rates) {
    for (const c of clients) c.ackLatencies = [];
    const cpu0 = serverCpu(config);
    const self0 = cpuSeconds("self");
    const started = now();
    let sent = 0;
    while (now() - started < config.stepSeconds * 1000) {
      const due = Math.floor(((now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const i = sent % clients.length;
        const clientId = crypto.randomUUID();
        clients[i].acks.set(clientId, now());
        clients[i].sendText(
          `{"type":"send","clientId":"${clientId}","conversationId":${
            config.dmConversations![Math.floor(i / 2)]
          },"text":"${pad("dm", config.payloadBytes)}"}`,
        );
      }
      await sleep(5);
    }
    const elapsed = (now() - started) / 1000;
    await sleep(500);
    const latencies = clients.flatMap((c) => c.ackLatencies).sort((a, b) => a - b);
    const generatorCpu = (100 * (cpuSeconds("self") - self0)) / (elapsed + 0.5);
    const result = {
      target_acked_per_s: rate,
      acked_per_s: Math.round(latencies.length / elapsed),
      acked_fraction: sent ? latencies.length / sent : 1,
      p50_ms: percentile(latencies, 0.5),
      p99_ms: percentile(latencies, 0.99),
      cpu_us_per_ack: latencies.length
        ? ((serverCpu(config) - cpu0) * 1e6) / latencies.length
        : null,
      generator_cpu_percent: generatorCpu,
      client_bound: generatorCpu > 85,
    };
    steps.push(result);
    for (const c of clients) c.acks.clear();
    if (result.acked_fraction < 0.99 || (result.p99_ms ?? Infinity) > 100) break;
    await sleep(300);
  }
  clients.forEach((c) => c.close());
  const passing = steps.filter((s) => s.acked_fraction >= 0.99 && (s.p99_ms ?? Infinity) <= 100);
  const best = passing.at(-1) ?? null;
  return {
    acked_per_s: best?.acked_per_s ?? 0,
    p50_ms: best?.p50_ms ?? null,
    p99_ms: best?.p99_ms ?? null,
    cpu_us_per_ack: best?.cpu_us_per_ack ?? null,
    client_bound: best?.client_bound ?? false,
    steps,
  };
}

async function reconnect(config: Config) {
  const MISSED = 20;
  let clients = await connectAll(config, config.users, 1_000_000);
  await sleep(500);
  const sender = clients[0];
  const rest = clients.slice(1);
  rest.forEach((c) => c.close());
  await sleep(500);
  if (config.kind === "ugochat") {
    for (let i = 0; i < MISSED; i++) {
      sender.sendText(messageFrame(config.kind, pad(`missed ${i}`, config.payloadBytes)));
    }
    await sleep(500);
  }
  const started = now();
  // ugochat clients resume from before the drop and receive the missed messages on connect.
  const users = config.users.slice(1).map((u) => ({
    ...u,
    after: config.kind === "ugochat" ? 0 : undefined,
  }));
  const resumed = await connectAll(config, users, 1_000_000);
  if (config.kind !== "ugochat") {
    for (let i = 0; i < MISSED; i++) {
      sender.sendText(messageFrame(config.kind, pad(`after ${i}`, config.payloadBytes)));
    }
  }
  while (resumed.some((c) => c.deliveries < MISSED) && now() - started < 120_000) await sleep(10);
  const seconds = (now() - started) / 1000;
  const complete = resumed.every((c) => c.deliveries >= MISSED);
  clients = [sender, ...resumed];
  clients.forEach((c) => c.close());
  return { seconds, complete, clients: resumed.length };
}

if (import.meta.main) {
  const config: Config = JSON.parse(await Deno.readTextFile(Deno.args[0]));
  const run = { fanout, idle, dm, overload, reconnect, rooms }[config.scenario];
  const result = await run(config);
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
