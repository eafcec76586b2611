// Real servers for tests: in-process on port 0, or as a separate process
// started exactly as `deno task start` starts it. Each gets a fresh temp database.
import { resolve } from "node:path";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import { APP_DIR, serverFlags } from "../../lib/process_flags.ts";
import { DATABASE_FILE, type RunningServer, startServer } from "../../lib/server.ts";
import { backendEnv } from "./backend.ts";

export type TestServer = RunningServer & {
  dataDir: string;
  databasePath: string;
  /** Set when the data is in PostgreSQL (see tests/helpers/backend.ts). */
  databaseUrl?: string;
  /** Every log line the server printed. */
  lines: string[];
  [Symbol.asyncDispose](): Promise<void>;
};

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? await Deno.makeTempDir({ prefix: "ugochat-test-" });
  const backend = await backendEnv(dataDir);
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "debug",
    ...backend,
    ...env,
    DATA_DIR: dataDir,
  });
  const lines: string[] = [];
  const server = await startServer(config, {
    log: createLogger(config.LOG_LEVEL, (line) => lines.push(line)),
  });
  return {
    ...server,
    dataDir,
    databasePath: resolve(dataDir, DATABASE_FILE),
    databaseUrl: config.DATABASE_URL,
    lines,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      if (!env.DATA_DIR) await Deno.remove(dataDir, { recursive: true });
    },
  };
}

export type ServerProcess = {
  origin: string;
  port: number;
  dataDir: string;
  databasePath: string;
  /** Set when the data is in PostgreSQL (see tests/helpers/backend.ts). */
  databaseUrl?: string;
  process: Deno.ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first line matching, waiting up to timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Starts main.ts in its own process, with the same permissions as `deno task start`. */
export async function spawnServer(
  env: Record<string, string> = {},
  options: { dataDir?: string; expectStart?: boolean; v8Flags?: string } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "ugochat-proc-" });
  const fullEnv: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "debug",
    DATA_DIR: dataDir,
    ...await backendEnv(dataDir),
    ...env,
  };
  const flagsFor = { HOST: fullEnv.HOST, DATA_DIR: dataDir };
  let config; // for the flags only; a bad setting is the server's to refuse
  try {
    config = loadConfig({
      ...flagsFor,
      DATABASE_URL: fullEnv.DATABASE_URL,
      REDIS_URL: fullEnv.REDIS_URL,
    });
  } catch {
    config = loadConfig(flagsFor);
  }
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...serverFlags(config),
      ...(options.v8Flags ? [`--v8-flags=${options.v8Flags}`] : []),
      resolve(APP_DIR, "main.ts"),
    ],
    env: { ...fullEnv, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  let errText = "";
  const waiters = new Set<() => void>();
  const pump = async (
    stream: ReadableStream<Uint8Array<ArrayBuffer>>,
    onText: (text: string) => void,
  ) => {
    let pending = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop()!;
      for (const part of parts) onText(part);
    }
    if (pending) onText(pending);
  };
  const pumps = Promise.all([
    pump(process.stdout, (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    }),
    pump(process.stderr, (line) => {
      errText += line + "\n";
    }),
  ]);
  const status = process.status;
  let exited = false;
  status.then(() => {
    exited = true;
    for (const wake of waiters) wake();
  });

  function waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    return new Promise((found, fail) => {
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined || exited) {
          waiters.delete(check);
          clearTimeout(timer);
          if (line !== undefined) found(line);
          else fail(new Error(`server exited before printing ${pattern}:\n${errText}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        fail(
          new Error(`no line ${pattern} within ${timeoutMs} ms:\n${lines.join("\n")}\n${errText}`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  async function stop(signal: Deno.Signal = "SIGTERM") {
    if (!exited) {
      try {
        process.kill(signal);
      } catch { /* exited meanwhile */ }
    }
    const result = await status;
    await pumps;
    return result;
  }

  let port = 0;
  if (options.expectStart !== false) {
    const startLine = await waitForLine(/server\.start/);
    port = Number(/listen=http:\/\/[^ ]+:(\d+)/.exec(startLine)![1]);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    databasePath: resolve(dataDir, DATABASE_FILE),
    databaseUrl: fullEnv.DATABASE_URL,
    process,
    lines,
    stderr: () => errText,
    waitForLine,
    stop,
    async [Symbol.asyncDispose]() {
      await stop("SIGKILL");
      if (!options.dataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}
