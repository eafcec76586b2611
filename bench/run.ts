// `deno task bench [--quick] [--before=<git ref>] [--backend=postgres]`: UgoChat against the
// practical limit (a bare Deno hub), against Socket.IO on Node.js, with --before against an
// earlier commit of itself, and with --backend=postgres against itself on PostgreSQL + Redis
// (throwaway servers), alternating, on 127.0.0.1, with the load generator in its own process.
// Prints a table and writes bench/results/latest.json.
//
// Nothing here imports lib/: each UgoChat checkout seeds its users (bench/seed.ts) and names
// its server flags (bench/server_flags.ts) in a process of its own, so that a commit with
// another store API or other permissions is measured as it would run.
import { resolve } from "node:path";
import type { Config as LoadConfig } from "./loadgen.ts";
import type { Seeded } from "./seed.ts";
import type { Kind } from "./wire.ts";

/**
 * What runs: a wire protocol's Kind, `before` (the earlier UgoChat) or `postgres` (this one on
 * PostgreSQL and Redis); both speak ugochat.
 */
type Impl = Kind | "before" | "postgres";
const protocolOf = (impl: Impl): Kind =>
  impl === "before" || impl === "postgres" ? "ugochat" : impl;

const APP_DIR = resolve(import.meta.dirname!, "..");

const QUICK = Deno.args.includes("--quick");
const ONLY = Deno.args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const wanted = (name: string) => !ONLY || ONLY.includes(name);
// ugochat (and before) run with --cpu-prof, one <scenario>-<impl>-<repetition>.cpuprofile each.
const PROFILE = Deno.args.includes("--profile");
const BEFORE_REF = Deno.args.find((a) => a.startsWith("--before="))?.slice(9);
const ON_POSTGRES = Deno.args.includes("--backend=postgres");
// The cluster scenario needs PostgreSQL and Redis: it runs with --backend=postgres or when named.
const CLUSTER = ON_POSTGRES ? wanted("cluster") : !!ONLY?.includes("cluster");
const REPS = QUICK ? 1 : 3;
const BENCH = resolve(APP_DIR, "bench");
const RESULTS = `${BENCH}/results`;
const hasTaskset = await commandExists("taskset");
const CORES = navigator.hardwareConcurrency;
const hasNode = await commandExists("node");
const SOCKETIO_DIR = `${BENCH}/socketio`;
// Only dm and rooms run UgoChat alone; any other scenario wants the Socket.IO baseline.
const socketioWanted = ["fanout", "big_room", "idle", "overload", "reconnect"].some(wanted);
const hasSocketio = socketioWanted && await socketioReady();
const maxConnections = Math.floor((await fileLimit()) / 2.2);
// Appended to a bench/seed.ts from before it ran as a script (4c93759 and earlier).
const SEED_MAIN = `
if (import.meta.main) {
  const [databasePath, count, pairs] = [Deno.args[0], Number(Deno.args[1]), Number(Deno.args[2])];
  const users = await seedUsers(databasePath, count, pairs > 0);
  const dm = pairs > 0 ? await directConversationIds(databasePath, users) : [];
  console.log(JSON.stringify({ users, dm }));
}
`;
const before = BEFORE_REF ? await checkOut(BEFORE_REF) : null;
/** The UgoChat checkouts: this one and, with --before, the earlier commit in a temp dir. */
const CHECKOUTS: Partial<Record<Impl, string>> = {
  ugochat: APP_DIR,
  before: before?.dir,
  postgres: APP_DIR,
};
/** With --backend=postgres: one throwaway PostgreSQL and Redis for the whole run. */
const shared = ON_POSTGRES || CLUSTER ? await startSharedServers() : null;

async function startSharedServers() {
  const { startPostgres } = await import("../tests/helpers/postgres.ts");
  const { startRedis } = await import("../tests/helpers/redis.ts");
  const postgres = await startPostgres({ stopOnExit: true });
  if (!postgres) {
    throw new Error("--backend=postgres needs PostgreSQL (apt-get install postgresql)");
  }
  const redis = await startRedis();
  globalThis.addEventListener("unload", () => void redis.stop());
  return { postgres, redis };
}

async function commandExists(name: string): Promise<boolean> {
  try {
    return (await new Deno.Command("sh", { args: ["-c", `command -v ${name}`], stdout: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/** Installs bench/socketio from its lock file on first use; false, said once, when it cannot. */
async function socketioReady(): Promise<boolean> {
  if (!hasNode || !(await commandExists("npm"))) {
    console.error("socketio: skipped, node or npm is not on the PATH");
    return false;
  }
  if (await socketioInstalled()) return true;
  console.error("socketio: npm ci in bench/socketio (first use)");
  const out = await new Deno.Command("npm", {
    args: ["ci", "--no-audit", "--no-fund"],
    cwd: SOCKETIO_DIR,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (out.success && await socketioInstalled()) return true;
  const lines = new TextDecoder().decode(out.stderr).split("\n").filter((l) => l.trim());
  const reason = lines.find((l) => /error|ERR!/.test(l)) ?? lines.at(-1) ?? `exit ${out.code}`;
  console.error(`socketio: skipped, npm ci in bench/socketio failed: ${reason}`);
  return false;
}

/** Whether node_modules holds the socket.io version the lock file pins (absent or stale: no). */
async function socketioInstalled(): Promise<boolean> {
  const read = (path: string) =>
    Deno.readTextFile(`${SOCKETIO_DIR}/${path}`).then(JSON.parse).catch(() => null);
  const lock = await read("package-lock.json");
  const installed = await read("node_modules/socket.io/package.json");
  return !!installed && installed.version === lock?.packages?.["node_modules/socket.io"]?.version;
}

/** Runs a command to its end in `cwd`; its stdout, or an error carrying its stderr. */
async function runIn(cwd: string, command: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command[0], {
    args: command.slice(1),
    cwd,
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (!out.success) {
    throw new Error(`${command.join(" ")} (in ${cwd}) failed:\n${text(out.stderr)}`);
  }
  return text(out.stdout);
}

/**
 * Extracts an earlier commit into a temp dir, ready to run: its dependencies, its client
 * bundle, and the two scripts run.ts asks of it. `git archive`, not `git worktree add`, so
 * that nothing is registered in the repository the other worktrees share.
 */
async function checkOut(ref: string) {
  let commit;
  try {
    commit = (await runIn(APP_DIR, ["git", "rev-parse", "--verify", `${ref}^{commit}`])).trim();
  } catch {
    console.error(`--before=${ref}: not a commit in this repository`);
    Deno.exit(2);
  }
  const dir = await Deno.makeTempDir({ prefix: "ugochat-before-" });
  console.error(`before: ${ref} (${commit.slice(0, 7)}) in ${dir}`);
  const removeOnInterrupt = () => {
    Deno.removeSync(dir, { recursive: true });
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", removeOnInterrupt);
  try {
    await prepare(ref, commit, dir);
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  return {
    ref,
    commit,
    dir,
    async remove() {
      Deno.removeSignalListener("SIGINT", removeOnInterrupt);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function prepare(ref: string, commit: string, dir: string) {
  const archive = new Deno.Command("git", {
    args: ["archive", commit],
    cwd: APP_DIR,
    stdout: "piped",
  })
    .spawn();
  const tar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  await archive.stdout.pipeTo(tar.stdin);
  if (!(await archive.status).success || !(await tar.status).success) {
    throw new Error(`git archive ${commit} | tar -x failed`);
  }
  await runIn(dir, [Deno.execPath(), "install", "--frozen"]);
  await runIn(dir, [Deno.execPath(), "task", "build"]);
  const seed = await Deno.readTextFile(`${dir}/bench/seed.ts`).catch(() => {
    throw new Error(`${ref} has no bench/seed.ts, so it cannot be seeded`);
  });
  if (!seed.includes("import.meta.main")) {
    await Deno.writeTextFile(`${dir}/bench/seed.ts`, seed + SEED_MAIN);
  }
  // Copied in where missing: it imports the checkout's own lib/config.ts and lib/process_flags.ts.
  const flags = `${dir}/bench/server_flags.ts`;
  if (!(await Deno.stat(flags).catch(() => null))) {
    await Deno.copyFile(`${BENCH}/server_flags.ts`, flags);
  }
}

async function fileLimit(): Promise<number> {
  const out = await new Deno.Command("sh", { args: ["-c", "ulimit -n"], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) || 1024;
}

const pinned = (core: number, command: string[]) =>
  hasTaskset ? ["taskset", "-c", String(core), ...command] : command;

type Server = {
  kind: Impl;
  port: number;
  pid: number;
  /** Every instance's port and pid (one, but for the cluster scenario's two). */
  ports: number[];
  pids: number[];
  stop(): Promise<void>;
  users: { cookie?: string }[];
  dm?: number[];
  /** Room k holds the k-th run of roomSize users; empty when the checkout seeds no rooms. */
  rooms?: number[];
};

async function startProcess(
  command: string[],
  env: Record<string, string>,
  pattern: RegExp,
  graceful = false,
  cwd = APP_DIR,
) {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    env: { ...env, NO_COLOR: "1" },
    cwd,
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let port = 0;
  while (!port) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${command.join(" ")} exited before listening:\n${seen}`);
    seen += value;
    const match = pattern.exec(seen);
    if (match) port = Number(match[1]);
  }
  (async () => { // keep draining its output
    while (!(await reader.read()).done);
  })();
  return {
    port,
    pid: child.pid,
    async stop() {
      try {
        child.kill(graceful ? "SIGTERM" : "SIGKILL"); // SIGTERM lets a profile be written
      } catch { /* gone */ }
      await child.status;
    },
  };
}

/** Names the CPU profile of the next UgoChat server started (set by `scenario`). */
let profileName = "";

/**
 * Starts `kind` seeded with `users` (friends in pairs with `dmPairs`, in rooms of `roomSize`
 * with it). `instances` > 1 (postgres only) starts that many processes on the same PostgreSQL
 * database and Redis prefix, instance i pinned to core i.
 */
async function startServer(
  kind: Impl,
  users: number,
  { dmPairs = false, instances = 1, roomSize = 0 }: {
    dmPairs?: boolean;
    instances?: number;
    roomSize?: number;
  } = {},
): Promise<Server> {
  if (instances > 1 && kind !== "postgres") throw new Error("several instances need postgres");
  if (kind === "reference") {
    const p = await startProcess(
      pinned(0, [Deno.execPath(), "run", "-A", `${BENCH}/reference_hub.ts`]),
      {},
      /listening (\d+)/,
    );
    return {
      kind,
      ...p,
      ports: [p.port],
      pids: [p.pid],
      users: Array.from({ length: users }, () => ({})),
    };
  }
  if (kind === "socketio") {
    const p = await startProcess(
      pinned(0, ["node", `${BENCH}/socketio/server.mjs`]),
      {},
      /listening (\d+)/,
    );
    return {
      kind,
      ...p,
      ports: [p.port],
      pids: [p.pid],
      users: Array.from({ length: users }, () => ({})),
    };
  }
  const checkout = CHECKOUTS[kind]!;
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-bench-" });
  let onPostgres: Record<string, string> = {};
  let dropDatabase = () => Promise.resolve();
  const databasePath = resolve(dataDir, "ugochat.db");
  // Real users and sessions, through the store of the checkout that is about to serve them.
  // A checkout from before rooms ignores roomSize and prints no rooms.
  const seeded: { users: Seeded; dm: number[]; rooms?: number[] } = JSON.parse(
    await runIn(checkout, [
      Deno.execPath(),
      "run",
      "-A",
      "bench/seed.ts",
      databasePath,
      String(users),
      String(dmPairs ? users / 2 : 0),
      String(roomSize),
    ]),
  );
  if (kind === "postgres") {
    // The seeded SQLite file, copied into a fresh database as an operator would move it.
    const database = await shared!.postgres.freshDatabase();
    dropDatabase = () => database[Symbol.asyncDispose]();
    onPostgres = {
      DATABASE_URL: database.url,
      REDIS_URL: shared!.redis.url,
      REDIS_PREFIX: `bench-${crypto.randomUUID().slice(0, 8)}`,
    };
    await runIn(APP_DIR, [Deno.execPath(), "task", "migrate-to-postgres"], {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
    });
  }
  const env = {
    ...onPostgres,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    MESSAGES_PER_10S: "1000000000",
    SOCKETS_PER_USER: "100000",
    LOGIN_PER_IP_PER_MIN: "1000000000",
    REGISTER_PER_IP_PER_HOUR: "1000000000",
  };
  const flags: string[] = JSON.parse(
    await runIn(checkout, [Deno.execPath(), "run", "-A", "bench/server_flags.ts"], env),
  );
  const processes: Awaited<ReturnType<typeof startProcess>>[] = [];
  for (let i = 0; i < instances; i++) {
    const profile = [
      "--cpu-prof",
      `--cpu-prof-dir=${RESULTS}`,
      `--cpu-prof-name=${profileName}${instances > 1 ? `-instance${i + 1}` : ""}.cpuprofile`,
    ];
    processes.push(
      await startProcess(
        pinned(i % CORES, [
          Deno.execPath(),
          "run",
          ...flags,
          ...(PROFILE ? profile : []),
          resolve(checkout, "main.ts"),
        ]),
        { ...env, LOG_LEVEL: "info" },
        /listen=http:\/\/[^ ]+:(\d+)/,
        PROFILE,
        checkout,
      ),
    );
  }
  const [p] = processes;
  return {
    kind,
    port: p.port,
    pid: p.pid,
    ports: processes.map((q) => q.port),
    pids: processes.map((q) => q.pid),
    users: seeded.users.map((u) => ({ cookie: u.cookie })),
    dm: dmPairs ? seeded.dm : undefined,
    rooms: seeded.rooms ?? [],
    async stop() {
      await Promise.all(processes.map((q) => q.stop()));
      await dropDatabase();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

async function loadgen(config: LoadConfig): Promise<Record<string, unknown>> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(config));
  const out = await new Deno.Command(pinned(1, [Deno.execPath()])[0], {
    args: [...pinned(1, [Deno.execPath()]).slice(1), "run", "-A", `${BENCH}/loadgen.ts`, file],
    stdout: "piped",
    stderr: "inherit",
    cwd: APP_DIR,
  }).output();
  await Deno.remove(file);
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success) throw new Error(`loadgen failed: ${text}`);
  return JSON.parse(text);
}

type Step = {
  target_deliveries_per_s: number;
  deliveries_per_s: number;
  delivered_fraction: number;
  p50_ms: number | null;
  p99_ms: number | null;
  cpu_us_per_delivery: number | null;
  client_bound: boolean;
};

function summarizeSteps(steps: Step[], at: number) {
  const passing = steps.filter((s) =>
    s.delivered_fraction >= 0.99 && (s.p99_ms ?? Infinity) <= 100
  );
  const best = passing.reduce<Step | null>(
    (a, s) => (!a || s.deliveries_per_s > a.deliveries_per_s ? s : a),
    null,
  );
  const atRate = steps.find((s) => s.target_deliveries_per_s === at);
  return {
    deliveries_per_s: best?.deliveries_per_s ?? 0,
    client_bound: best?.client_bound ?? false,
    p50_ms: atRate?.p50_ms ?? null,
    p99_ms: atRate?.p99_ms ?? null,
    cpu_us_per_delivery: atRate?.cpu_us_per_delivery ?? null,
    steps,
  };
}

/** A step in a few words, for the log: "50k/s: 99.8 % in, p99 12 ms, 20.1 µs". */
const stepLine = (s: Step) =>
  `${s.target_deliveries_per_s / 1000}k/s: ${(100 * s.delivered_fraction).toFixed(1)} % in, p99 ${
    s.p99_ms?.toFixed(0) ?? "—"
  } ms, ${s.cpu_us_per_delivery?.toFixed(1) ?? "—"} µs${s.client_bound ? ", client-bound" : ""}`;

const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};

/**
 * Runs one scenario for each implementation, REPS times, alternating the order. A run that
 * returns null could not be made (a checkout without the feature) and is left out.
 */
async function scenario(
  name: string,
  kinds: Impl[],
  run: (kind: Impl) => Promise<Record<string, unknown> | null>,
): Promise<Runs> {
  const results: Runs = { reference: [], ugochat: [], socketio: [], before: [], postgres: [] };
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 ? [...kinds].reverse() : kinds;
    for (const kind of order) {
      console.error(`  ${name}: ${kind} (repetition ${rep + 1}/${REPS})`);
      profileName = `${name}-${kind}-${rep + 1}`;
      const result = await run(kind);
      if (result) results[kind].push(result);
    }
  }
  return results;
}

type Runs = Record<Impl, Record<string, unknown>[]>;

// before runs next to ugochat, so that the two see the machine in the same state.
const UGOCHATS: Impl[] = [
  "ugochat",
  ...(before ? ["before" as const] : []),
  ...(ON_POSTGRES ? ["postgres" as const] : []),
];
const KINDS: Impl[] = ["reference", ...UGOCHATS, ...(hasSocketio ? ["socketio" as const] : [])];
const report: Record<string, unknown> = {};
const PAYLOAD = 128;

function combine(
  runs: Runs,
  fields: string[],
  headline: string,
  lowerIsBetter = false,
) {
  const entry: Record<string, unknown> = {};
  const kinds: Impl[] = [...UGOCHATS, "reference", "socketio"];
  for (const kind of kinds) {
    if (!runs[kind].length) {
      entry[kind] = kind === "socketio" && socketioWanted && !hasSocketio ? "not run" : null;
      continue;
    }
    const merged: Record<string, unknown> = { runs: runs[kind].length };
    // A figure a run could not give (null) is left out, not counted as 0.
    for (const field of fields) {
      merged[field] = median(runs[kind].map((r) => Number(r[field] ?? NaN)));
    }
    merged.client_bound = runs[kind].some((r) => r.client_bound === true);
    entry[kind] = merged;
  }
  const value = (kind: Impl, field: string) =>
    (entry[kind] as Record<string, number> | null | string)?.[field as never] as
      | number
      | undefined;
  const ratio = (other: Impl, field = headline) => {
    const a = value("ugochat", field);
    const b = value(other, field);
    if (typeof a !== "number" || typeof b !== "number" || !b) return null;
    return Number((a / b).toFixed(3));
  };
  entry.ratio = {
    reference: ratio("reference"),
    socketio: ratio("socketio"),
    ...(before ? { before: ratio("before") } : {}),
  };
  // Before and after are compared on every figure, not only the headline.
  if (before) entry.ratio_before = Object.fromEntries(fields.map((f) => [f, ratio("before", f)]));
  // PostgreSQL + Redis against SQLite in the same run: postgres ÷ ugochat.
  if (ON_POSTGRES) {
    entry.ratio_postgres = Object.fromEntries(fields.map((f) => {
      const [pg, lite] = [value("postgres", f), value("ugochat", f)];
      return [f, typeof pg === "number" && typeof lite === "number" && lite ? pg / lite : null];
    }));
  }
  entry.headline = `${headline}${lowerIsBetter ? " (lower is better)" : ""}`;
  return entry;
}

const stepSeconds = QUICK ? 1 : 3;
const fanoutRates = QUICK
  ? [25_000, 100_000, 200_000]
  : [25_000, 50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000];
const bigRoomUsers = QUICK ? 1000 : Math.min(5000, maxConnections);
const bigRoomRates = QUICK ? [50_000, 100_000] : [50_000, 100_000, 200_000, 300_000, 500_000];
const ROOM_SIZE = 10;
const roomCount = Math.min(200, Math.floor(maxConnections / ROOM_SIZE));
const roomUsers = roomCount * ROOM_SIZE;
// Each delivery here is a tenth of a stored message (in fanout, a two-hundredth): the ladder
// starts where DM's does, at 1k messages a second, and climbs finely where rooms top out.
const roomRates = QUICK
  ? [10_000, 25_000, 50_000, 100_000, 200_000]
  : [10_000, 20_000, 30_000, 40_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 600_000];
/** The rate whose p50, p99 and CPU per delivery the rooms entry reports: the first step. */
const ROOMS_AT = 10_000;

/**
 * Adds to each implementation's rooms figures its `ratio_to_fanout`: rooms ÷ fanout deliveries
 * per second at p99 ≤ 100 ms, both from this run (when fanout ran).
 */
function withFanoutRatio(rooms: Record<string, unknown>, fanout: unknown) {
  const figure = (entry: unknown, kind: Impl) =>
    (entry as Record<string, Record<string, unknown> | null> | undefined)?.[kind]
      ?.deliveries_per_s;
  for (const kind of UGOCHATS) {
    const [a, b] = [figure(rooms, kind), figure(fanout, kind)];
    if (typeof a !== "number" || typeof b !== "number" || !b) continue;
    (rooms[kind] as Record<string, unknown>).ratio_to_fanout = Number((a / b).toFixed(3));
  }
  return rooms;
}

try {
  if (wanted("fanout")) {
    console.error("fanout: 200 users, 10 senders, 128-byte messages, stepped rate");
    const fanoutRuns = await scenario("fanout", KINDS, async (kind) => {
      const server = await startServer(kind, 200);
      try {
        const result = await loadgen({
          kind: protocolOf(kind),
          port: server.port,
          serverPid: server.pid,
          scenario: "fanout",
          users: server.users,
          senders: 10,
          payloadBytes: PAYLOAD,
          rates: fanoutRates,
          stepSeconds,
        }) as { steps: Step[] };
        return summarizeSteps(result.steps, 100_000);
      } finally {
        await server.stop();
      }
    });
    report.fanout = combine(
      fanoutRuns,
      ["deliveries_per_s", "p50_ms", "p99_ms", "cpu_us_per_delivery"],
      "deliveries_per_s",
    );
  }

  if (wanted("big_room")) {
    console.error(`big_room: ${bigRoomUsers} users, 5 senders`);
    const bigRuns = await scenario("big_room", KINDS, async (kind) => {
      const server = await startServer(kind, bigRoomUsers);
      try {
        const result = await loadgen({
          kind: protocolOf(kind),
          port: server.port,
          serverPid: server.pid,
          scenario: "fanout",
          users: server.users,
          senders: 5,
          payloadBytes: PAYLOAD,
          rates: bigRoomRates,
          stepSeconds,
        }) as { steps: Step[] };
        return { ...summarizeSteps(result.steps, 50_000), users: bigRoomUsers };
      } finally {
        await server.stop();
      }
    });
    report.big_room = combine(bigRuns, [
      "deliveries_per_s",
      "p50_ms",
      "p99_ms",
      "cpu_us_per_delivery",
      "users",
    ], "deliveries_per_s");
  }

  const idleSteps = QUICK ? [500, 1500] : [1000, Math.min(5000, maxConnections)];
  if (wanted("idle")) {
    console.error(`idle: ${idleSteps.join(" → ")} connected users`);
    const idleRuns = await scenario("idle", KINDS, async (kind) => {
      const server = await startServer(kind, idleSteps.at(-1)!);
      try {
        return await loadgen({
          kind: protocolOf(kind),
          port: server.port,
          serverPid: server.pid,
          scenario: "idle",
          users: server.users,
          senders: 0,
          payloadBytes: PAYLOAD,
          rates: [],
          stepSeconds,
          idleSteps,
        });
      } finally {
        await server.stop();
      }
    });
    report.idle = combine(idleRuns, ["kib_per_conn", "idle_cpu_percent"], "kib_per_conn", true);
  }

  const pairs = QUICK ? 200 : 500;
  type DmStep = { acked_per_s: number; acked_fraction: number; p99_ms: number | null };
  if (wanted("dm")) {
    console.error(`dm: ${pairs} pairs of friends`);
    const dmRuns = await scenario("dm", UGOCHATS, async (kind) => {
      const server = await startServer(kind, pairs * 2, { dmPairs: true });
      try {
        const result = await loadgen({
          kind: "ugochat",
          port: server.port,
          serverPid: server.pid,
          scenario: "dm",
          users: server.users,
          senders: pairs * 2,
          payloadBytes: PAYLOAD,
          // From 1k/s, so that a backend whose p99 is over 20 ms at 5k/s still gets a figure.
          rates: QUICK
            ? [1_000, 2_500, 5_000, 10_000, 20_000]
            : [1_000, 2_500, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000],
          stepSeconds: QUICK ? 1 : 3,
          dmConversations: server.dm,
        });
        console.error(`    steps: ${JSON.stringify(result.steps)}`);
        // The issue's target is p99 ≤ 20 ms, stricter than the 100 ms the steps stop at.
        const within20 = (result.steps as DmStep[]).filter((s) =>
          s.acked_fraction >= 0.99 && s.p99_ms !== null && s.p99_ms <= 20
        );
        return {
          ...result,
          acked_per_s_p99_20ms: Math.max(0, ...within20.map((s) => s.acked_per_s)),
        };
      } finally {
        await server.stop();
      }
    });
    report.dm = combine(
      dmRuns,
      ["acked_per_s", "p50_ms", "p99_ms", "cpu_us_per_ack", "acked_per_s_p99_20ms"],
      "acked_per_s",
    );
  }

  if (wanted("rooms")) {
    console.error(`rooms: ${roomUsers} users in ${roomCount} rooms of ${ROOM_SIZE} and the Lobby`);
    const roomRuns = await scenario("rooms", UGOCHATS, async (kind) => {
      const server = await startServer(kind, roomUsers, { roomSize: ROOM_SIZE });
      try {
        if (!server.rooms!.length) {
          console.error(`    ${kind}: its bench/seed.ts makes no rooms, not run`);
          return null;
        }
        const result = await loadgen({
          kind: "ugochat",
          port: server.port,
          serverPid: server.pid,
          scenario: "rooms",
          users: server.users,
          senders: roomCount,
          payloadBytes: PAYLOAD,
          rates: roomRates,
          stepSeconds,
          roomConversations: server.rooms,
        }) as { steps: Step[] };
        console.error(`    steps: ${result.steps.map(stepLine).join("; ")}`);
        return summarizeSteps(result.steps, ROOMS_AT);
      } finally {
        await server.stop();
      }
    });
    report.rooms = withFanoutRatio(
      combine(
        roomRuns,
        ["deliveries_per_s", "p50_ms", "p99_ms", "cpu_us_per_delivery"],
        "deliveries_per_s",
      ),
      report.fanout,
    );
  }

  if (wanted("overload")) {
    console.error("overload: twice the fan-out maximum");
    const overloadRuns = await scenario("overload", KINDS, async (kind) => {
      const max = Number(
        (report.fanout as Record<string, Record<string, number>> | undefined)?.[kind]
          ?.deliveries_per_s,
      ) ||
        100_000;
      const server = await startServer(kind, 200);
      try {
        const result = await loadgen({
          kind: protocolOf(kind),
          port: server.port,
          serverPid: server.pid,
          scenario: "overload",
          users: server.users,
          senders: 10,
          payloadBytes: PAYLOAD,
          rates: [2 * max],
          stepSeconds: QUICK ? 2 : 10,
        }) as Record<string, unknown>;
        return {
          ...result,
          rss_ratio: Number(result.peak_rss_mib) / Number(result.idle_rss_mib),
          recovered: result.recovered ? 1 : 0,
        };
      } finally {
        await server.stop();
      }
    });
    report.overload = combine(
      overloadRuns,
      ["idle_rss_mib", "peak_rss_mib", "rss_ratio", "recovered"],
      "peak_rss_mib",
      true,
    );
  }

  const reconnectClients = QUICK ? 500 : Math.min(2000, maxConnections);
  if (wanted("reconnect")) {
    console.error(`reconnect: ${reconnectClients} clients drop at once and come back`);
    const reconnectRuns = await scenario("reconnect", KINDS, async (kind) => {
      const server = await startServer(kind, reconnectClients + 1);
      try {
        const result = await loadgen({
          kind: protocolOf(kind),
          port: server.port,
          serverPid: server.pid,
          scenario: "reconnect",
          users: server.users,
          senders: 1,
          payloadBytes: PAYLOAD,
          rates: [],
          stepSeconds,
        }) as Record<string, unknown>;
        return { ...result, complete: result.complete ? 1 : 0 };
      } finally {
        await server.stop();
      }
    });
    report.reconnect = combine(reconnectRuns, ["seconds", "complete", "clients"], "seconds", true);
  }
  if (CLUSTER) {
    report.cluster = await cluster();
  }
  // The store's search over a seeded history, in a process of its own (bench/search.ts): only
  // when named, as its seeding takes minutes.
  if (ONLY?.includes("search")) {
    console.error("search: seeding a history, then timing searches (bench/search.ts)");
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        `${BENCH}/search.ts`,
        ...(QUICK ? ["--quick"] : []),
        ...(ON_POSTGRES ? ["--backend=postgres"] : []),
      ],
      cwd: APP_DIR,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) throw new Error("bench/search.ts failed");
    report.search = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  }
} finally {
  await before?.remove();
}

/**
 * The fan-out of one Lobby on one instance in process (SQLite, memory broker), on one instance
 * through Redis, and on two instances behind the same Redis and PostgreSQL with the users spread
 * over them: deliveries per second at p99 ≤ 100 ms, and server CPU per delivery over all instances.
 */
async function cluster() {
  const variants = [
    { name: "sqlite_one", kind: "ugochat" as Impl, instances: 1 },
    { name: "redis_one", kind: "postgres" as Impl, instances: 1 },
    { name: "redis_two", kind: "postgres" as Impl, instances: 2 },
  ];
  console.error(
    `cluster: fan-out, 200 users, 10 senders, on 1 and 2 instances${
      hasTaskset ? ` (instance i on core i of ${CORES}; the load generator on core 1)` : ""
    }`,
  );
  const runs: Record<string, ReturnType<typeof summarizeSteps>[]> = {};
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 ? [...variants].reverse() : variants;
    for (const variant of order) {
      console.error(`  cluster: ${variant.name} (repetition ${rep + 1}/${REPS})`);
      profileName = `cluster-${variant.name}-${rep + 1}`;
      const server = await startServer(variant.kind, 200, { instances: variant.instances });
      try {
        const result = await loadgen({
          kind: "ugochat",
          port: server.port,
          serverPid: server.pid,
          ports: server.ports,
          serverPids: server.pids,
          scenario: "fanout",
          users: server.users,
          senders: 10,
          payloadBytes: PAYLOAD,
          rates: fanoutRates,
          stepSeconds,
        }) as { steps: Step[] };
        (runs[variant.name] ??= []).push(summarizeSteps(result.steps, 100_000));
      } finally {
        await server.stop();
      }
    }
  }
  const fields = ["deliveries_per_s", "p50_ms", "p99_ms", "cpu_us_per_delivery"] as const;
  const medians = Object.fromEntries(variants.map(({ name }) => [
    name,
    Object.fromEntries(
      fields.map((f) => [f, median(runs[name].map((r) => Number(r[f] ?? NaN)))]),
    ) as Record<(typeof fields)[number], number | null>,
  ]));
  const ratio = (a: number | null, b: number | null) => a !== null && b ? a / b : null;
  return {
    ...medians,
    ratio_two_to_one: Object.fromEntries(
      fields.map((f) => [f, ratio(medians.redis_two[f], medians.redis_one[f])]),
    ),
    ratio_redis_to_in_process: Object.fromEntries(
      fields.map((f) => [f, ratio(medians.redis_one[f], medians.sqlite_one[f])]),
    ),
    runs,
  };
}

const cpuModel = /model name\s*:\s*(.*)/.exec(await Deno.readTextFile("/proc/cpuinfo"))?.[1] ??
  "unknown";
report.machine = {
  cores: navigator.hardwareConcurrency,
  cpu_model: cpuModel,
  kernel: Deno.osRelease(),
  deno: Deno.version.deno,
  node: hasNode
    ? new TextDecoder().decode(
      (await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output()).stdout,
    ).trim()
    : null,
  taskset: hasTaskset,
  before: before ? { ref: before.ref, commit: before.commit } : null,
  quick: QUICK,
  repetitions: REPS,
  date: new Date().toISOString(),
};

await Deno.mkdir(RESULTS, { recursive: true });
await Deno.writeTextFile(`${RESULTS}/latest.json`, JSON.stringify(report, null, 2) + "\n");
printTable(report);

function printRows(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(rows.map((row) => row.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n"));
}

function printTable(r: Record<string, unknown>) {
  const fmt = (
    v: unknown,
  ) => (typeof v === "number"
    ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en") : v.toFixed(2))
    : String(v ?? "—"));
  const kinds: Impl[] = [...UGOCHATS, "reference", "socketio"];
  const rows: string[][] = [[
    "scenario",
    "figure",
    ...kinds,
    "÷ reference",
    "÷ socketio",
    ...(before ? ["÷ before"] : []),
    ...(ON_POSTGRES ? ["postgres ÷ sqlite"] : []),
  ]];
  const lines: [string, string][] = [
    ["fanout", "deliveries_per_s"],
    ["fanout", "p50_ms"],
    ["fanout", "p99_ms"],
    ["fanout", "cpu_us_per_delivery"],
    ["big_room", "deliveries_per_s"],
    ["big_room", "p99_ms"],
    ["idle", "kib_per_conn"],
    ["idle", "idle_cpu_percent"],
    ["dm", "acked_per_s"],
    ["dm", "p99_ms"],
    ["dm", "cpu_us_per_ack"],
    ["dm", "acked_per_s_p99_20ms"],
    ["rooms", "deliveries_per_s"],
    ["rooms", "p50_ms"],
    ["rooms", "p99_ms"],
    ["rooms", "cpu_us_per_delivery"],
    ...(r.fanout ? [["rooms", "ratio_to_fanout"] as [string, string]] : []),
    ["overload", "idle_rss_mib"],
    ["overload", "peak_rss_mib"],
    ["overload", "recovered"],
    ["reconnect", "seconds"],
  ];
  for (const [name, field] of lines) {
    const entry = r[name] as Record<string, Record<string, unknown> | string | null>;
    if (!entry) continue;
    const cell = (kind: Impl) => {
      const v = entry[kind];
      if (typeof v === "string" || v === null) return v ?? "—";
      return fmt(v[field]) +
        (v.client_bound && field === "deliveries_per_s" ? " (client-bound)" : "");
    };
    const ratio = entry.ratio as unknown as Record<string, number | null>;
    const headline = String(entry.headline).startsWith(field);
    const ratioBefore = entry.ratio_before as unknown as Record<string, number | null> | undefined;
    const ratioPostgres = entry.ratio_postgres as unknown as
      | Record<string, number | null>
      | undefined;
    rows.push([
      name,
      field,
      ...kinds.map(cell),
      headline ? fmt(ratio.reference) : "",
      headline ? fmt(ratio.socketio) : "",
      ...(before ? [fmt(ratioBefore?.[field])] : []),
      ...(ON_POSTGRES ? [fmt(ratioPostgres?.[field])] : []),
    ]);
  }
  if (rows.length > 1) printRows(rows);
  const c = r.cluster as Record<string, Record<string, number | null>> | undefined;
  if (c) {
    const names = ["sqlite_one", "redis_one", "redis_two"];
    const ratios = ["ratio_two_to_one", "ratio_redis_to_in_process"];
    console.log("\ncluster (fan-out; 1 instance in process, 1 and 2 instances through Redis)");
    printRows([
      ["figure", ...names, "two ÷ one", "redis ÷ in process"],
      ...["deliveries_per_s", "p50_ms", "p99_ms", "cpu_us_per_delivery"].map((field) => [
        field,
        ...names.map((name) => fmt(c[name][field])),
        ...ratios.map((name) => fmt(c[name][field])),
      ]),
    ]);
  }
  const search = r.search as Record<string, unknown> | undefined;
  if (search) {
    const q = search.queries as Record<string, Record<string, number>>;
    console.log(
      `\nsearch (${search.backend}, ${Number(search.messages).toLocaleString("en")} messages)`,
    );
    printRows([
      ["query", "p50_ms", "p99_ms", "results"],
      ...Object.entries(q).map(([name, v]) => [
        name,
        fmt(v.p50_ms),
        fmt(v.p99_ms),
        fmt(v.results_per_search),
      ]),
    ]);
    console.log(
      `index ${search.index_mib} MiB of ${search.database_mib} MiB (${
        fmt(Number(search.index_share) * 100)
      } %); inserts/s with it ÷ without: ${fmt(search.insert_ratio)}; indexed/s: ${
        fmt(search.indexed_per_s)
      }`,
    );
  }
  const m = r.machine as Record<string, unknown>;
  console.log(
    `\n${m.cores} cores, ${m.cpu_model}, kernel ${m.kernel}, Deno ${m.deno}, Node ${
      m.node ?? "absent"
    }; ${m.repetitions} repetition(s), medians${
      before ? `; before = ${before.ref} (${before.commit.slice(0, 7)})` : ""
    }`,
  );
}
