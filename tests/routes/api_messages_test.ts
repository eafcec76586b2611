// /api/messages over HTTP on a real server: an edited message's earlier texts, for whoever may
// see the message and as a 404 for anyone else, in the one error shape.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

Deno.test("GET /api/messages/:id/edits gives the earlier texts to those who see the message, 404 to others", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  const ack = await a.say(LOBBY_ID, "v1");
  assert.ok(ack.type === "ack");
  a.send({ type: "edit", clientId: crypto.randomUUID(), messageId: ack.id, text: "v2" });
  await a.waitFor((f) => f.type === "message_edited");
  const response = await bob.get(`/api/messages/${ack.id}/edits`);
  assert.equal(response.status, 200);
  const { earlier } = await response.json();
  assert.deepEqual(earlier.map((e: { text: string }) => e.text), ["v1"]);
  assert.equal(typeof earlier[0].at, "number");

  const blocked = await bob.post("/api/blocks", { username: "alice" });
  assert.equal(blocked.status, 201);
  await blocked.body?.cancel();
  for (
    const path of [
      `/api/messages/${ack.id}/edits`,
      "/api/messages/999999/edits",
      "/api/messages/x/edits",
    ]
  ) {
    const refused = await bob.get(path);
    assert.equal(refused.status, 404, path);
    assert.equal((await refused.json()).error.code, "not_found");
  }
});

Deno.test("history loads after a message and around one, saying whether there is more each side", async () => {
  await using server = await startTestServer();
  const { alice, carol } = await people(server, "alice", "carol");
  await using a = await openChat(server.origin, alice);
  const ids: number[] = [];
  for (let i = 1; i <= 9; i++) {
    const ack = await a.say(LOBBY_ID, `m${i}`);
    assert.ok(ack.type === "ack");
    ids.push(ack.id);
  }
  const page = async (query: string) => {
    const response = await alice.get(`/api/conversations/${LOBBY_ID}/messages?${query}`);
    assert.equal(response.status, 200, query);
    const body = await response.json();
    return { ...body, messages: body.messages.map((m: { text: string }) => m.text) };
  };
  assert.deepEqual(await page(`after=${ids[2]}&limit=3`), {
    messages: ["m4", "m5", "m6"],
    hasNewer: true,
  });
  assert.deepEqual(await page(`after=${ids[5]}&limit=3`), {
    messages: ["m7", "m8", "m9"],
    hasNewer: false,
  });
  assert.deepEqual(await page(`around=${ids[4]}&limit=4`), {
    messages: ["m4", "m5", "m6", "m7"],
    hasMore: true,
    hasNewer: true,
  });
  assert.deepEqual(await page(`around=${ids[0]}&limit=4`), {
    messages: ["m1", "m2", "m3"],
    hasMore: false,
    hasNewer: true,
  });
  const both = await alice.get(`/api/conversations/${LOBBY_ID}/messages?after=1&around=2`);
  assert.equal(both.status, 400);
  assert.equal((await both.json()).error.code, "invalid_input");
  // A direct conversation of others is no more found around a message than before one.
  const { bob } = await people(server, "bob");
  await alice.befriend(bob);
  const dm = await (await alice.post("/api/conversations", { with: "bob" })).json();
  const refused = await carol.get(`/api/conversations/${dm.conversation.id}/messages?around=1`);
  assert.equal(refused.status, 404);
  await refused.body?.cancel();
});
