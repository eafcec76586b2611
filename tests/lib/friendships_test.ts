import assert from "node:assert/strict";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const names = (list: { username: string }[]) => list.map((u) => u.username);

Deno.test("a friend request reaches both sides live, and accepting makes them friends", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await using a = await openChat(server.origin, alice);
  await using b = await openChat(server.origin, bob);
  const asked = await alice.post("/api/friends/requests", { username: "Bob" });
  assert.equal(asked.status, 201);
  assert.equal((await asked.json()).outcome, "requested");
  await a.waitFor((f) => f.type === "friends" && names(f.friends.outgoing).includes("bob"));
  await b.waitFor((f) => f.type === "friends" && names(f.friends.incoming).includes("alice"));

  const accepted = await bob.post("/api/friends/requests/alice/accept");
  assert.equal(accepted.status, 200);
  await accepted.body?.cancel();
  const seenByAlice = await a.waitFor((f) =>
    f.type === "friends" && f.friends.friends.length === 1
  );
  assert.ok(seenByAlice.type === "friends");
  assert.deepEqual(seenByAlice.friends.friends.map((f) => [f.username, f.online]), [["bob", true]]);
  assert.deepEqual(seenByAlice.friends.outgoing, []);
  await b.waitFor((f) =>
    f.type === "friends" && f.friends.friends.length === 1 && f.friends.incoming.length === 0
  );
});

Deno.test("a request to someone who already asked you accepts theirs", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  (await alice.post("/api/friends/requests", { username: "bob" })).body?.cancel();
  const response = await bob.post("/api/friends/requests", { username: "alice" });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.outcome, "accepted");
  assert.deepEqual(names(body.friends), ["alice"]);
});

Deno.test("declining and cancelling remove the request on both sides", async () => {
  await using server = await startTestServer();
  const { alice, bob, carol } = await people(server, "alice", "bob", "carol");
  (await alice.post("/api/friends/requests", { username: "bob" })).body?.cancel();
  (await alice.post("/api/friends/requests", { username: "carol" })).body?.cancel();
  assert.equal((await bob.post("/api/friends/requests/alice/decline")).status, 204);
  assert.equal((await alice.request("DELETE", "/api/friends/requests/carol")).status, 204);
  const view = await (await alice.get("/api/friends")).json();
  assert.deepEqual(view, { friends: [], incoming: [], outgoing: [], blocked: [] });
  assert.deepEqual((await (await carol.get("/api/friends")).json()).incoming, []);
  const again = await bob.post("/api/friends/requests/alice/decline");
  assert.equal(again.status, 404);
  assert.equal((await again.json()).error.code, "no_request");
});

Deno.test("either friend can remove the friendship, and both pages hear of it", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using b = await openChat(server.origin, folks.bob);
  assert.equal(b.snapshot.friends.length, 1);
  assert.equal((await folks.alice.request("DELETE", "/api/friends/bob")).status, 204);
  await b.waitFor((f) => f.type === "friends" && f.friends.friends.length === 0);
  const again = await folks.alice.request("DELETE", "/api/friends/bob");
  assert.equal(again.status, 404);
  await again.body?.cancel();
});

Deno.test("friend requests fail with clear codes", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob", "carol");
  await folks.alice.befriend(folks.bob);
  (await folks.alice.post("/api/friends/requests", { username: "carol" })).body?.cancel();
  (await folks.carol.post("/api/blocks", { username: "bob" })).body?.cancel();
  const cases: [string, string, number, string][] = [
    ["alice", "nobody", 404, "no_such_user"],
    ["alice", "ALICE", 400, "cannot_befriend_self"],
    ["alice", "bob", 409, "already_friends"],
    ["alice", "carol", 409, "request_pending"],
    ["bob", "carol", 403, "blocked"],
    ["carol", "bob", 403, "blocked"],
  ];
  for (const [from, to, status, code] of cases) {
    const response = await folks[from as "alice"].post("/api/friends/requests", { username: to });
    assert.equal(response.status, status, `${from} → ${to}`);
    assert.equal((await response.json()).error.code, code, `${from} → ${to}`);
  }
  const empty = await folks.alice.post("/api/friends/requests", { username: "" });
  assert.equal(empty.status, 400);
  await empty.body?.cancel();
});

Deno.test("blocking removes the friendship and pending requests, and unblocking does not restore them", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob", "mallory");
  await folks.alice.befriend(folks.mallory);
  (await folks.mallory.post("/api/friends/requests", { username: "bob" })).body?.cancel();
  await using m = await openChat(server.origin, folks.mallory);
  const blocked = await folks.alice.post("/api/blocks", { username: "mallory" });
  assert.equal(blocked.status, 201);
  assert.deepEqual(names((await blocked.json()).blocked), ["mallory"]);
  await m.waitFor((f) => f.type === "friends" && f.friends.friends.length === 0);
  (await folks.bob.post("/api/blocks", { username: "mallory" })).body?.cancel();
  await m.waitFor((f) => f.type === "friends" && f.friends.outgoing.length === 0);

  assert.equal((await folks.alice.request("DELETE", "/api/blocks/mallory")).status, 204);
  const view = await (await folks.alice.get("/api/friends")).json();
  assert.deepEqual(view, { friends: [], incoming: [], outgoing: [], blocked: [] });
  const notBlocked = await folks.alice.request("DELETE", "/api/blocks/mallory");
  assert.equal(notBlocked.status, 404);
  await notBlocked.body?.cancel();
});

Deno.test("friend routes need a session", async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.origin}/api/friends`);
  assert.equal(response.status, 401);
  await response.body?.cancel();
});
