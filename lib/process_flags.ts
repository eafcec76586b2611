// Process flags of the server: the narrowest Deno permissions that work, and V8's memory shape.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.ts";
import { settingNames } from "./config.ts";
import { REDIS_ENV } from "./realtime/redis_env.ts";

export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// @node-rs/argon2's loader reads these, and /usr/bin/ldd to tell glibc from musl.
const NATIVE_LOADER_ENV = [
  "NAPI_RS_NATIVE_LIBRARY_PATH",
  "NAPI_RS_FORCE_WASI",
  "NAPI_RS_WASI_FLAVOR",
  "NAPI_RS_ENFORCE_VERSION_CHECK",
];
const NATIVE_LOADER_READS = ["/usr/bin/ldd"];
// The `ws` package reads these at load time to decide whether to try optional native addons
// (it then falls back to JavaScript); without the grant the import itself throws.
const WS_ENV = ["WS_NO_BUFFER_UTIL", "WS_NO_UTF_8_VALIDATE"];
// The `postgres` package reads libpq's PG* variables for what the URL leaves out.
const POSTGRES_ENV = ["PG*"];

// Young generation capped at 4 MiB per semi-space: under load V8 otherwise grows it to 32 MiB
// and keeps the pages, tens of MiB that a small VPS needs more (measured: `deno task bench`,
// idle scenario; fan-out and DM CPU did not move measurably).
const V8_FLAGS = "--v8-flags=--max-semi-space-size=4";

/** host:port of a server URL, as --allow-net takes it. */
function netTarget(url: string, defaultPort: number): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || defaultPort}`; // an IPv6 hostname keeps its brackets
}

export function serverFlags(
  config: Pick<Config, "DATA_DIR" | "HOST"> & Partial<Pick<Config, "DATABASE_URL" | "REDIS_URL">>,
): string[] {
  const dataDir = resolve(config.DATA_DIR);
  const net = [config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST];
  const env = [...settingNames, ...NATIVE_LOADER_ENV, ...WS_ENV];
  if (config.DATABASE_URL) {
    net.push(netTarget(config.DATABASE_URL, 5432));
    env.push(...POSTGRES_ENV);
  }
  if (config.REDIS_URL) {
    net.push(netTarget(config.REDIS_URL, 6379));
    env.push(...REDIS_ENV);
  }
  return [
    V8_FLAGS,
    `--allow-net=${net.join(",")}`,
    `--allow-env=${env.join(",")}`,
    `--allow-read=${[APP_DIR, dataDir, ...NATIVE_LOADER_READS].join(",")}`,
    `--allow-write=${dataDir}`,
    `--allow-ffi=${resolve(APP_DIR, "node_modules")}`,
    "--no-prompt",
  ];
}
