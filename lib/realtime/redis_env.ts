/**
 * What the `redis` package reads from the environment when it connects; without the grant
 * it fails every connection attempt, forever. The server needs `--allow-env` for these and
 * `--allow-net` for the Redis host and port. (A module of its own, so that naming the process's
 * flags does not load the Redis client.)
 */
export const REDIS_ENV = ["REDIS_DEBUG_MAINTENANCE", "REDIS_EMIT_DIAGNOSTICS"];
