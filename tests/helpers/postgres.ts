// A throwaway PostgreSQL for tests: initdb in a temp dir, started on a free port, stopped by
// pid. Tests that need it call `testPostgres()`: it uses the server in TEST_POSTGRES_URL when
// the suite runs against one (`deno task test:cluster`), else starts its own when the binaries
// are here, else gives null — and `requireServers()` decides whether null skips or fails.
import { existsSync } from "node:fs";
import { freePort } from "./ports.ts";

export type TestPostgres = {
  /** A URL for the maintenance database (postgres), as the server's superuser. */
  adminUrl: string;
  /** A new empty database on this server; dropped by its disposer. */
  freshDatabase(): Promise<{ url: string; [Symbol.asyncDispose](): Promise<void> }>;
  /** Stops the server (fast shutdown), keeping its data and port for `up`. */
  down(): Promise<void>;
  /** Starts it again after `down`. */
  up(): Promise<void>;
  stop(): Promise<void>;
};

const BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin"];
const binDir = () => BIN_DIRS.find((dir) => existsSync(`${dir}/initdb`));
const isRoot = () => Deno.uid?.() === 0;

/** Whether missing servers fail the suite (CI) rather than skip the tests that need them. */
export const requireServers = () => Boolean(Deno.env.get("CI") || Deno.env.get("REQUIRE_SERVERS"));

async function run(command: string[], options: { asPostgres?: boolean } = {}) {
  const argv = options.asPostgres && isRoot()
    ? ["runuser", "-u", "postgres", "--", ...command]
    : command;
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${command.join(" ")} failed:\n${text}`);
  }
}

/** Starts a PostgreSQL of our own; null when its binaries are not installed. */
export async function startPostgres(
  options: { stopOnExit?: boolean } = {},
): Promise<TestPostgres | null> {
  const bin = binDir();
  if (!bin) return null;
  const dir = await Deno.makeTempDir({ prefix: "ugochat-pg-" });
  const data = `${dir}/data`;
  if (isRoot()) await run(["chown", "postgres:postgres", dir]);
  await run([`${bin}/initdb`, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"], {
    asPostgres: true,
  });
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    // Throwaway data: no need to survive a power cut. (The app's own durability is the app's.)
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const start = () =>
    run([`${bin}/pg_ctl`, "-D", data, "-o", serverOptions, "-l", `${dir}/log`, "-w", "start"], {
      asPostgres: true,
    });
  const stop = () =>
    run([`${bin}/pg_ctl`, "-D", data, "-m", "fast", "-w", "stop"], { asPostgres: true });
  await start();
  if (options.stopOnExit) {
    // An exiting process cannot wait for pg_ctl: the postmaster's pid gets an immediate stop.
    globalThis.addEventListener("unload", () => {
      try {
        const pid = Number(Deno.readTextFileSync(`${data}/postmaster.pid`).split("\n")[0]);
        Deno.kill(pid, "SIGQUIT");
        Deno.removeSync(dir, { recursive: true });
      } catch { /* already stopped */ }
    });
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    ...onServer(adminUrl),
    down: stop,
    up: start,
    stop: async () => {
      await stop().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

let databases = 0;
function onServer(adminUrl: string): Pick<TestPostgres, "adminUrl" | "freshDatabase"> {
  return {
    adminUrl,
    async freshDatabase() {
      const { default: postgres } = await import("postgres");
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      const name = `test_${Deno.pid}_${++databases}_${crypto.randomUUID().slice(0, 8)}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        url: url.href,
        async [Symbol.asyncDispose]() {
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
          await admin.end();
        },
      };
    },
  };
}

let shared: Promise<TestPostgres | null> | undefined;
/**
 * The PostgreSQL this test file uses: the suite's (TEST_POSTGRES_URL), or one started for the
 * file and stopped when the process exits; null when neither is possible.
 */
export function testPostgres(): Promise<TestPostgres | null> {
  shared ??= (async () => {
    const given = Deno.env.get("TEST_POSTGRES_URL");
    if (given) {
      const notOurs = () => Promise.reject(new Error("the suite's PostgreSQL is not ours to stop"));
      return { ...onServer(given), down: notOurs, up: notOurs, stop: async () => {} };
    }
    return await startPostgres({ stopOnExit: true });
  })();
  return shared;
}
