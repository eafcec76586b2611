// The app on PostgreSQL, started exactly as `deno task start` starts it: it keeps everything
// there, and a database it cannot use stops the start with one line saying why.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient } from "../helpers/client.ts";
import { freePort } from "../helpers/ports.ts";
import { requireServers, testPostgres } from "../helpers/postgres.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const server = await testPostgres();
if (!server && requireServers()) throw new Error("PostgreSQL is required here, and not installed");
if (!server) console.warn("SKIPPED: the PostgreSQL start tests (no PostgreSQL binaries found)");
const it = (name: string, fn: () => Promise<void>) => Deno.test({ name, ignore: !server, fn });

it("with DATABASE_URL everything is kept in PostgreSQL: an account and a message outlive the app", async () => {
  await using database = await server!.freshDatabase();
  const env = { DATABASE_URL: database.url };
  {
    await using app = await spawnServer(env);
    assert.ok(app.lines.some((l) => l.includes("postgres://")), "the start line names PostgreSQL");
    const alice = createClient(app.origin);
    await alice.register("alice");
    await using chat = await openChat(app.origin, alice);
    await chat.say(LOBBY_ID, "kept in postgres");
  }
  await using app = await spawnServer(env); // a new data dir: nothing of it is on disk here
  const alice = createClient(app.origin);
  await alice.login("alice");
  await using chat = await openChat(app.origin, alice, { after: 0 });
  const replayed = await chat.waitFor((f) => f.type === "message");
  assert.equal(replayed.type === "message" && replayed.message.text, "kept in postgres");
  assert.deepEqual(await (await fetch(`${app.origin}/healthz`)).json(), { ok: true });
});

async function refused(url: string): Promise<string> {
  await using app = await spawnServer({ DATABASE_URL: url }, { expectStart: false });
  await app.process.status;
  const status = await app.stop();
  assert.equal(status.code, 1, app.stderr());
  const said = app.stderr().trim();
  assert.doesNotMatch(said, /^\s+at /m, `no stack trace:\n${said}`);
  assert.doesNotMatch(said, /secret/, "the password is never shown");
  return said;
}

it("an unreachable PostgreSQL stops the start with one line naming it", async () => {
  const port = await freePort();
  const said = await refused(`postgres://ugochat:secret@127.0.0.1:${port}/chat`);
  assert.equal(said.split("\n").length, 1, said);
  assert.match(
    said,
    new RegExp(`PostgreSQL at postgres://127\\.0\\.0\\.1:${port}/chat: cannot reach`),
  );
});

it("a database that does not exist is named in one line", async () => {
  const url = new URL(server!.adminUrl);
  url.pathname = "/no_such_database";
  url.password = "secret";
  assert.match(await refused(url.href), /database "no_such_database" does not exist/);
});

it("a DATABASE_URL that is not a postgres:// URL is refused without showing it", async () => {
  assert.match(
    await refused("mysql://root:secret@db/chat"),
    /DATABASE_URL=\(set\): must start with postgres:/,
  );
});
