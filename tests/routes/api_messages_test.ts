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
