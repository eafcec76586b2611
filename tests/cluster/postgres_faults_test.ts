// PostgreSQL going away under a running instance: sends are refused with store_failed (and
// nothing is acknowledged that was not stored), /healthz names the database, and once it is
// back the same clientId is stored once. The instance never crashes.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient } from "../helpers/client.ts";
import { requireServers, startPostgres } from "../helpers/postgres.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";
import { waitUntil } from "../helpers/wait.ts";

// A server of this test's own: it is stopped and started again.
const postgres = await startPostgres({ stopOnExit: true });
if (!postgres && requireServers()) {
  throw new Error("PostgreSQL is required here, and not installed");
}
if (!postgres) console.warn("SKIPPED: the PostgreSQL fault tests (no PostgreSQL binaries found)");

Deno.test({
  name:
    "PostgreSQL restarting: sends fail with store_failed, /healthz says so, and a retry is stored once",
  ignore: !postgres,
  async fn() {
    await using database = await postgres!.freshDatabase();
    await using app = await spawnServer({ DATABASE_URL: database.url });
    const alice = createClient(app.origin);
    const bob = createClient(app.origin);
    await alice.register("alice");
    await bob.register("bob");
    await using a = await openChat(app.origin, alice);
    await using b = await openChat(app.origin, bob);
    assert.equal((await a.say(LOBBY_ID, "before")).type, "ack");

    await postgres!.down();
    const clientId = crypto.randomUUID();
    const refused = await a.say(LOBBY_ID, "while down", clientId);
    assert.equal(refused.type, "error", JSON.stringify(refused));
    assert.ok(refused.type === "error" && refused.code === "store_failed");
    assert.equal(refused.type === "error" && refused.clientId, clientId);
    const health = await fetch(`${app.origin}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { ok: false, down: ["database"] });

    await postgres!.up();
    // The pool reconnects by itself; the client retries with the same clientId.
    const ack = await waitUntil(async () => {
      const answer = await a.say(LOBBY_ID, "while down", clientId);
      return answer.type === "ack" ? answer : undefined;
    }, { timeoutMs: 15_000, what: "the retry to be acknowledged", everyMs: 200 });
    assert.equal(ack.clientId, clientId);
    assert.deepEqual(await a.say(LOBBY_ID, "while down", clientId), ack, "stored once");
    await b.waitFor((f) => f.type === "message" && f.message.clientId === clientId);
    assert.deepEqual(await (await fetch(`${app.origin}/healthz`)).json(), { ok: true });
    assert.equal(app.process.pid > 0 && (await app.stop()).code, 0, "it never crashed");
  },
});
