// `deno task test:cluster`: the whole suite again, on PostgreSQL and Redis: starts throwaway
// servers, runs `deno task test` with TEST_POSTGRES_URL and TEST_REDIS_URL set, so that every
// test server keeps its data in PostgreSQL and shares events, presence and rate limits through
// Redis (tests/helpers/backend.ts), then stops them.
import { startPostgres } from "../tests/helpers/postgres.ts";
import { startRedis } from "../tests/helpers/redis.ts";

const postgres = await startPostgres({ stopOnExit: true });
if (!postgres) {
  console.error("test:cluster needs PostgreSQL's initdb and pg_ctl (apt-get install postgresql)");
  Deno.exit(1);
}
let code = 1;
try {
  const redis = await startRedis();
  try {
    console.log(`test:cluster: PostgreSQL at ${postgres.adminUrl}, Redis at ${redis.url}`);
    const { code: exit } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "test", ...Deno.args],
      env: { TEST_POSTGRES_URL: postgres.adminUrl, TEST_REDIS_URL: redis.url },
    }).spawn().status;
    code = exit;
  } finally {
    await redis.stop();
  }
} finally {
  await postgres.stop();
}
Deno.exit(code);
