// The server as a process, started as `deno task start` starts it.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { sqliteOnly, TEST_BACKEND } from "./helpers/backend.ts";
import { spawnServer } from "./helpers/server.ts";

// On PostgreSQL the start line and refusals are tests/cluster/postgres_start_test.ts's.
Deno.test({
  name: "the server prints one line saying where it listens and where the data lives",
  ignore: sqliteOnly,
}, async () => {
  const parent = await Deno.makeTempDir({ prefix: "ugochat-main-" });
  const dataDir = `${parent}/not/yet/there`;
  await using server = await spawnServer({}, { dataDir });
  const line = server.lines.find((l) => l.includes("server.start"))!;
  assert.match(
    line,
    /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO +server\.start listen=http:\/\/127\.0\.0\.1:\d+ data=\S+ugochat\.db/,
  );
  assert.ok(line.includes(dataDir), "the data path is shown");
  assert.ok((await Deno.stat(`${dataDir}/ugochat.db`)).isFile, "DATA_DIR was created");
  const health = await fetch(`${server.origin}/healthz`);
  assert.deepEqual(await health.json(), { ok: true });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`${signal} stops the server cleanly with exit code 0`, async () => {
    await using server = await spawnServer();
    const status = await server.stop(signal);
    assert.equal(status.code, 0, server.stderr());
    assert.ok(server.lines.some((l) => l.includes("server.stop")));
    if (TEST_BACKEND !== "sqlite") return;
    // The database was closed cleanly: it opens and checks out.
    const db = new DatabaseSync(server.databasePath);
    assert.equal(db.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    db.close();
  });
}

Deno.test("a bad setting stops the start with a message naming the variable", async () => {
  await using server = await spawnServer({ PORT: "not-a-port" }, { expectStart: false });
  await server.process.status;
  const status = await server.stop();
  assert.equal(status.success, false);
  assert.match(server.stderr(), /PORT="not-a-port"/);
  assert.ok(!server.lines.some((l) => l.includes("server.start")));
});

Deno.test({
  name: "the server refuses to start on a database from a newer UgoChat",
  ignore: sqliteOnly,
}, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-newer-" });
  const db = new DatabaseSync(`${dataDir}/ugochat.db`);
  db.exec(
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  db.exec("INSERT INTO schema_migrations VALUES (9999, 'future', 0)");
  db.close();
  await using server = await spawnServer({}, { dataDir, expectStart: false });
  await server.process.status;
  const status = await server.stop();
  assert.equal(status.code, 1);
  assert.match(server.stderr(), /schema version 9999.*newer UgoChat/s);
});
