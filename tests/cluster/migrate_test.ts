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
    // A small community on SQLite: two friends, a block, Lobby, direct and room messages.
    let dm: number;
    let room: number;
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
      const created = await alice.post("/api/rooms", { name: "kept", visibility: "private" });
      room = (await created.json()).room.id;
      (await alice.post(`/api/rooms/${room}/members`, { username: "bob" })).body?.cancel();
      await using chat = await openChat(app.origin, alice);
      for (let i = 0; i < 30; i++) await chat.say(i % 2 ? dm : LOBBY_ID, `message ${i}`);
      await using bobs = await openChat(app.origin, bob); // alice has sent her 30 per 10 s
      assert.equal((await bobs.say(room, "in the room")).type, "ack");
    }
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url };
    const first = await migrate(env);
    assert.equal(first.code, 0, first.text);
    assert.match(first.text, /messages +31 in SQLite, +31 copied now, +31 in PostgreSQL/);
    assert.match(first.text, /users +3 in SQLite/);
    assert.match(first.text, /blocks +1 in SQLite/);
    assert.match(first.text, /rooms +1 in SQLite, +1 copied now/);
    assert.match(first.text, /room_members +2 in SQLite, +2 copied now/);
    const again = await migrate(env);
    assert.equal(again.code, 0, again.text);
    assert.match(again.text, /messages +31 in SQLite, +0 copied now, +31 in PostgreSQL/);

    // The app on PostgreSQL: the same accounts, friends and history; new messages come after.
    await using app = await spawnServer({ DATABASE_URL: database.url });
    const alice = createClient(app.origin);
    await alice.login("alice");
    const history = await (await alice.get(`/api/conversations/${dm}/messages`)).json();
    assert.deepEqual(
      history.messages.map((m: { text: string }) => m.text),
      Array.from({ length: 15 }, (_, i) => `message ${2 * i + 1}`),
    );
    const bob = createClient(app.origin);
    await bob.login("bob");
    const inRoom = await (await bob.get(`/api/conversations/${room}/messages`)).json();
    assert.deepEqual(inRoom.messages.map((m: { text: string }) => m.text), ["in the room"]);
    await using chat = await openChat(app.origin, alice);
    assert.equal(chat.snapshot.conversations.find((c) => c.id === room)?.room?.role, "owner");
    const ack = await chat.say(dm, "the first on PostgreSQL");
    assert.equal(ack.type, "ack");
    assert.ok(ack.type === "ack" && ack.id === 32 && ack.seq > 31, JSON.stringify(ack));
    const next = await (await alice.post("/api/rooms", { name: "new", visibility: "public" }))
      .json();
    assert.ok(next.room.id > room, "new rooms come after the copied ones");
    await Deno.remove(resolve(dataDir), { recursive: true });
  },
});
