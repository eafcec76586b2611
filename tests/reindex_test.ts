// `deno task reindex` as an operator runs it: on the database the settings name, it builds the
// search index again and says how many messages it holds.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../lib/wire.ts";
import { startTestServer } from "./helpers/server.ts";

Deno.test("deno task reindex rebuilds the search index and says how many messages it holds", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-reindex-" });
  let databaseUrl: string | undefined;
  {
    await using server = await startTestServer({ DATA_DIR: dataDir });
    databaseUrl = server.databaseUrl;
    const { store } = server.services;
    const alice = (await store.users.create("alice", "not a real hash", 1))!;
    for (const text of ["first words", "second words", "third"]) {
      await store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: alice.id,
        senderName: "alice",
        clientId: crypto.randomUUID(),
        text,
        at: Date.now(),
      });
    }
  }
  const env: Record<string, string> = { DATA_DIR: dataDir, NO_COLOR: "1" };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "reindex"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(stdout, /search index rebuilt at \S+: 3 messages in [\d.]+ s/);
  {
    await using server = await startTestServer({ DATA_DIR: dataDir });
    const alice = (await server.services.store.users.findByName("alice"))!;
    const found = await server.services.store.search.search(alice.id, {
      phrases: [{ tokens: ["words"], prefix: false }],
    }, 10);
    assert.deepEqual(found.map((m) => m.text), ["second words", "first words"]);
  }
  await Deno.remove(dataDir, { recursive: true });
});
