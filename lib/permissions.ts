// The Deno permissions the server process runs with: the narrowest that work.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.ts";
import { settingNames } from "./config.ts";

export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// @node-rs/argon2's loader reads these, and /usr/bin/ldd to tell glibc from musl.
const NATIVE_LOADER_ENV = [
  "NAPI_RS_NATIVE_LIBRARY_PATH",
  "NAPI_RS_FORCE_WASI",
  "NAPI_RS_WASI_FLAVOR",
  "NAPI_RS_ENFORCE_VERSION_CHECK",
];
const NATIVE_LOADER_READS = ["/usr/bin/ldd"];

export function serverPermissionFlags(config: Pick<Config, "DATA_DIR" | "HOST">): string[] {
  const dataDir = resolve(config.DATA_DIR);
  return [
    `--allow-net=${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}`,
    `--allow-env=${[...settingNames, ...NATIVE_LOADER_ENV].join(",")}`,
    `--allow-read=${[APP_DIR, dataDir, ...NATIVE_LOADER_READS].join(",")}`,
    `--allow-write=${dataDir}`,
    `--allow-ffi=${resolve(APP_DIR, "node_modules")}`,
    "--no-prompt",
  ];
}
