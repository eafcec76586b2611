// A throwaway redis-server per test: its own free port, no persistence, stopped by its pid.
// Without redis-server installed the Redis tests skip loudly, unless CI or REQUIRE_SERVERS
// asks for them: then they run and fail.
import { createServer } from "node:net";
import { waitUntil } from "./wait.ts";

/** Where redis-server is (Debian's place unless REDIS_SERVER says otherwise). */
export const REDIS_SERVER = Deno.env.get("REDIS_SERVER") ?? "/usr/bin/redis-server";

export type RedisServer = {
  url: string;
  /** Stops it (SIGTERM, its clients see the connection close) and starts it again, empty. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

const installed = await Deno.stat(REDIS_SERVER).then(() => true, () => false);
const required = Boolean(Deno.env.get("CI") || Deno.env.get("REQUIRE_SERVERS"));

/** `ignore` for a Deno.test that needs redis-server; warns once when they are skipped. */
export const withoutRedis = !installed && !required;
if (withoutRedis) {
  console.warn(
    `%cSKIPPING the Redis tests: ${REDIS_SERVER} is missing (apt-get install redis-server; ` +
      "set REQUIRE_SERVERS=1 to make this a failure)",
    "color: yellow; font-weight: bold",
  );
}

/** Starts one; `password` makes it refuse clients that do not give it. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = await Deno.makeTempDir({ prefix: "ugochat-redis-" });
  const pidFile = `${dir}/redis.pid`;
  let pid: number | null = null;

  async function start() {
    await Deno.remove(pidFile).catch(() => {}); // a stale one would name a dead process
    const { success } = await new Deno.Command(REDIS_SERVER, {
      args: [
        ...["--port", String(port), "--bind", "127.0.0.1", "--daemonize", "yes"],
        ...["--save", "", "--appendonly", "no", "--dir", dir, "--pidfile", pidFile],
        ...["--logfile", `${dir}/redis.log`],
        ...(options.password ? ["--requirepass", options.password] : []),
      ],
      // Not piped: the daemon could hold a pipe open, and reading it to its end would hang.
      stdout: "null",
      stderr: "null",
    }).output();
    if (!success) throw new Error(`redis-server failed to start; see ${dir}/redis.log`);
    pid = await waitUntil(() => readPid(pidFile), { what: `redis-server to write ${pidFile}` });
    await waitUntil(() => answersPing(port), { what: `redis-server on port ${port}` });
  }

  async function stop() {
    if (pid === null) return;
    const stopping = pid;
    pid = null;
    try {
      Deno.kill(stopping, "SIGTERM");
    } catch {
      return; // already gone
    }
    await waitUntil(async () => !(await isAlive(stopping)), {
      what: `redis-server ${stopping} to exit`,
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async restart(options = {}) {
      await stop();
      await new Promise((done) => setTimeout(done, options.downMs ?? 0));
      await start();
    },
    async [Symbol.asyncDispose]() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A port nobody listens on: the kernel picks one for a listener that closes at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const reply = new Uint8Array(16);
      const n = await conn.read(reply);
      const text = new TextDecoder().decode(reply.subarray(0, n ?? 0));
      return text.startsWith("+PONG") || text.startsWith("-NOAUTH"); // up, with a password
    } finally {
      conn.close();
    }
  } catch {
    return false;
  }
}

/** The pid in the file once it is whole: never 0, which would signal our own process group. */
async function readPid(file: string): Promise<number | null> {
  const text = await Deno.readTextFile(file).catch(() => "");
  const pid = Number(text.trim());
  return text.endsWith("\n") && Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether the process still runs (a zombie counts as gone), from /proc. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}
