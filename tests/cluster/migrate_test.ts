// `deno task migrate-to-postgres`: a community that outgrows one machine takes its SQLite
// history along, and the app on PostgreSQL carries on from it.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { APP_DIR } from "../../lib/process_flags.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient } from "../helpers/client.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";
import { spawnServer } from "../helpers/server.ts";
import { befriend, openChat, openDirect } from "../helpers/socket.ts";

const server = await testPostgres();
if (!server && requireServers()) throw new Error("PostgreSQL is required here, and not installed");
if (!server) console.warn("SKIPPED: the migrate-to-postgres tests (no PostgreSQL binaries found)");

async function migrate(env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "migrate-to-postgres"],
    cwd: APP_DIR,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

Deno.test({
  name:
    "migrate-to-postgres copies every table, is safe to run twice, and the app on PostgreSQL carries on",
  ignore: !server,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "ugochat-migrate-" });
    await using database = await server!.freshDatabase();
    // A small community on SQLite: two friends, a block, Lobby and direct messages.
    let dm: number;
    {
      await using app = await spawnServer({ DATABASE_URL: "" }, { dataDir });
      const alice = createClient(app.origin);
      const bob = createClient(app.origin);
      const carol = createClient(app.origin);
      await alice.register("alice");
      await bob.register("bob");
      await carol.register("carol");
      await befriend(alice, "alice", bob, "bob");
      assert.equal((await carol.post("/api/blocks", { username: "alice" })).status, 201);
      dm = await openDirect(alice, "bob");
      await using chat = await openChat(app.origin, alice);
      for (let i = 0; i < 30; i++) await chat.say(i % 2 ? dm : LOBBY_ID, `message ${i}`);
    }
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url };
    const first = await migrate(env);
    assert.equal(first.code, 0, first.text);
    assert.match(first.text, /messages +30 in SQLite, +30 copied now, +30 in PostgreSQL/);
    assert.match(first.text, /users +3 in SQLite/);
    assert.match(first.text, /blocks +1 in SQLite/);
    const again = await migrate(env);
    assert.equal(again.code, 0, again.text);
    assert.match(again.text, /messages +30 in SQLite, +0 copied now, +30 in PostgreSQL/);

    // The app on PostgreSQL: the same accounts, friends and history; new messages come after.
    await using app = await spawnServer({ DATABASE_URL: database.url });
    const alice = createClient(app.origin);
    await alice.login("alice");
    const history = await (await alice.get(`/api/conversations/${dm}/messages`)).json();
    assert.deepEqual(
      history.messages.map((m: { text: string }) => m.text),
      Array.from({ length: 15 }, (_, i) => `message ${2 * i + 1}`),
    );
    await using chat = await openChat(app.origin, alice);
    const ack = await chat.say(dm, "the first on PostgreSQL");
    assert.equal(ack.type, "ack");
    assert.ok(ack.type === "ack" && ack.id === 31 && ack.seq > 30, JSON.stringify(ack));
    await Deno.remove(resolve(dataDir), { recursive: true });
  },
});
