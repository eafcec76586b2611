// Every setting is an environment variable, validated here once at start.
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const origin = z.string().url().transform((value, ctx) => {
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: "must start with http:// or https://" });
    return z.NEVER;
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    ctx.addIssue({
      code: "custom",
      message: "must be an origin only, like https://chat.example.com",
    });
    return z.NEVER;
  }
  return url.origin;
});

/** A server URL with one of these schemes; its password never appears in an error. */
const serverUrl = (...schemes: string[]) =>
  z.string().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `must be a URL like ${schemes[0]}//host:port/…` });
      return z.NEVER;
    }
    if (!schemes.includes(url.protocol)) {
      ctx.addIssue({ code: "custom", message: `must start with ${schemes.join(" or ")}//` });
      return z.NEVER;
    }
    if (!url.hostname) {
      ctx.addIssue({ code: "custom", message: "must name a host" });
      return z.NEVER;
    }
    return value;
  });

/** Settings whose values may hold a password: shown as "(set)" in errors. */
const SECRET = new Set(["DATABASE_URL", "REDIS_URL"]);

/** The settings, their defaults and what they mean; the README's table is made from this. */
export const settings = {
  PORT: { schema: port.default(8000), help: "TCP port to listen on (0 picks a free one)." },
  HOST: { schema: z.string().min(1).default("0.0.0.0"), help: "Interface to listen on." },
  DATA_DIR: {
    schema: z.string().min(1).default("./data"),
    help: "Folder for the SQLite database (created when missing).",
  },
  PUBLIC_ORIGIN: {
    schema: origin.optional(),
    help:
      "Origin users reach the app at, e.g. https://chat.example.com. Unset: the request's Host.",
  },
  DATABASE_URL: {
    schema: serverUrl("postgres:", "postgresql:").optional(),
    help:
      "PostgreSQL to keep everything in, e.g. postgres://ugochat:secret@db:5432/ugochat (several instances may share it). Unset: SQLite in DATA_DIR.",
  },
  REDIS_URL: {
    schema: serverUrl("redis:", "rediss:").optional(),
    help:
      "Redis that instances share events, presence and rate limits through, e.g. redis://:secret@cache:6379. Unset: all in this process.",
  },
  REDIS_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "use 1–64 letters, digits, _ . -")
      .default("ugochat"),
    help:
      "With REDIS_URL: the start of every key and channel, so that deployments can share one Redis.",
  },
  PRESENCE_TTL_S: {
    schema: z.coerce.number().int().min(3).max(3600).default(30),
    help:
      "With REDIS_URL: how soon the users of an instance that died (kill -9, power loss) are shown offline.",
  },
  DATABASE_POOL_SIZE: {
    schema: z.coerce.number().int().min(1).max(100).default(10),
    help: "Connections each instance keeps open to PostgreSQL, at most.",
  },
  DB_BUSY_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(0).max(60_000).default(5000),
    help: "How long a write waits for the database lock (held by a backup, say) before it fails.",
  },
  LOG_LEVEL: {
    schema: z.enum(["debug", "info", "warn", "error"]).default("info"),
    help: "Lowest level printed: debug, info, warn or error.",
  },
  TRUST_PROXY: {
    schema: flag.default(false),
    help: "1 to take the client address from X-Forwarded-For (only behind your own proxy).",
  },
  LOGIN_FAILURES_MAX: {
    schema: positiveInt.default(10),
    help: "Failed logins for one account before it is throttled.",
  },
  LOGIN_FAILURE_WINDOW_S: {
    schema: positiveInt.default(900),
    help: "Window, in seconds, over which failed logins are counted.",
  },
  LOGIN_PER_IP_PER_MIN: {
    schema: positiveInt.default(30),
    help: "Login attempts one address may make per minute.",
  },
  REGISTER_PER_IP_PER_HOUR: {
    schema: positiveInt.default(20),
    help: "Registrations one address may make per hour.",
  },
  HASH_CONCURRENCY: {
    schema: positiveInt.default(2),
    help: "Password hashes computed at once (each takes 19 MiB); the rest wait in line.",
  },
  HASH_QUEUE_MAX: {
    schema: positiveInt.default(64),
    help: "Password hashes allowed to wait; beyond it requests get 503.",
  },
  MESSAGES_PER_10S: {
    schema: positiveInt.default(30),
    help: "Messages one user may send per 10 seconds.",
  },
  EDIT_WINDOW_S: {
    schema: positiveInt.default(86_400),
    help: "How long after sending a message its author may edit it, in seconds.",
  },
  ROOMS_PER_USER_CREATED: {
    schema: positiveInt.default(20),
    help: "Rooms one user may have created (and not deleted).",
  },
  ROOMS_PER_USER: {
    schema: positiveInt.default(200),
    help: "Rooms one user may be in (the Lobby aside).",
  },
  MEMBERS_PER_ROOM: {
    schema: positiveInt.default(500),
    help: "Members one room may hold.",
  },
  ROOM_CHANGES_PER_MIN: {
    schema: positiveInt.default(60),
    help:
      "Changes to rooms (create, join, leave, invite, rename, roles, removals, delete) one user may make per minute.",
  },
  SEARCHES_PER_MIN: {
    schema: positiveInt.default(30),
    help: "Searches one user may make per minute.",
  },
  SOCKETS_PER_USER: {
    schema: positiveInt.default(20),
    help: "Open chat sockets one user may hold.",
  },
  HEARTBEAT_S: {
    schema: z.coerce.number().int().min(1).max(60).default(25),
    help:
      "Seconds between pings on a quiet chat socket; one unanswered ping drops it (dead within 2 × this).",
  },
  PRESENCE_GRACE_MS: {
    schema: z.coerce.number().int().min(0).max(60_000).default(4000),
    help:
      "How long a user stays online after their last socket closes (a reload must not flicker).",
  },
  SHUTDOWN_GRACE_MS: {
    schema: positiveInt.default(5000),
    help: "How long in-flight requests may take to finish on SIGINT/SIGTERM.",
  },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };
export const settingNames = Object.keys(settings) as (keyof Settings)[];

export class ConfigError extends Error {}

/** Reads the settings from an environment; an empty string counts as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const shape = Object.fromEntries(settingNames.map((name) => [name, settings[name].schema]));
  const input = Object.fromEntries(
    settingNames.map((name) => [name, env[name] === "" ? undefined : env[name]]),
  );
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data as Config;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const shown = SECRET.has(name) ? "(set)" : JSON.stringify(env[name] ?? "");
    return `${name}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
}

/** Reads every setting from this process's environment (which needs --allow-env for them). */
export function loadConfigFromEnv(): Config {
  return loadConfig(Object.fromEntries(settingNames.map((name) => [name, Deno.env.get(name)])));
}
