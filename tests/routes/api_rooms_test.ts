// /api/rooms over HTTP, on a real server with real sockets: the shapes, the one error shape,
// privacy (a room you are not in is a 404 that reads like no room at all), CSRF and limits.
import assert from "node:assert/strict";
import type { RoomView } from "../../lib/wire.ts";
import { createClient } from "../helpers/client.ts";
import { people, type Person } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { sleep } from "../helpers/wait.ts";

async function json(response: Response, status: number) {
  const body = await response.text();
  assert.equal(response.status, status, body);
  return body ? JSON.parse(body) : null;
}

async function createRoom(who: Person, name: string, visibility = "private"): Promise<RoomView> {
  return (await json(await who.post("/api/rooms", { name, visibility }), 201)).room;
}

const patch = (who: Person, path: string, body: unknown) =>
  who.request("PATCH", path, {
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

Deno.test("a room is created, found, renamed and deleted over HTTP", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const created = await json(
    await alice.post("/api/rooms", { name: " plans ", topic: "saturday", visibility: "public" }),
    201,
  );
  const room = created.room;
  assert.deepEqual(room, {
    id: room.id,
    name: "plans",
    topic: "saturday",
    visibility: "public",
    memberCount: 1,
    role: "owner",
  });
  assert.deepEqual((await json(await alice.get(`/api/rooms/${room.id}`), 200)).room, room);
  const renamed = await json(await patch(alice, `/api/rooms/${room.id}`, { name: "sunday" }), 200);
  assert.deepEqual([renamed.room.name, renamed.room.topic], ["sunday", "saturday"]);
  const listed = await json(await alice.get("/api/rooms?q=SUN"), 200);
  assert.deepEqual(listed.rooms.map((r: RoomView) => r.id), [room.id]);
  assert.equal(await json(await alice.request("DELETE", `/api/rooms/${room.id}`), 204), null);
  const gone = await json(await alice.get(`/api/rooms/${room.id}`), 404);
  assert.deepEqual(gone, { error: { code: "not_found", message: "No such room." } });
});

Deno.test("a non-member cannot read, send, list members or learn that a private room exists", async () => {
  await using server = await startTestServer();
  const { alice, carol } = await people(server, "alice", "carol");
  const room = await createRoom(alice, "secret");
  await using c = await carol.chat();
  const paths = (id: number) => [
    ["GET", `/api/rooms/${id}`],
    ["GET", `/api/rooms/${id}/members`],
    ["GET", `/api/conversations/${id}/messages`],
    ["POST", `/api/rooms/${id}/join`],
    ["POST", `/api/rooms/${id}/leave`],
    ["DELETE", `/api/rooms/${id}`],
    ["DELETE", `/api/rooms/${id}/members/${alice.id}`],
  ];
  for (const [method, path] of paths(room.id)) {
    const secret = await carol.request(method, path);
    const nothing = await carol.request(method, path.replace(String(room.id), "987654"));
    assert.equal(secret.status, 404, `${method} ${path}`);
    assert.deepEqual(await secret.json(), await nothing.json(), "it reads like no room at all");
  }
  assert.equal((await patch(carol, `/api/rooms/${room.id}`, { topic: "mine" })).status, 404);
  const invite = await carol.post(`/api/rooms/${room.id}/members`, { username: "carol" });
  assert.equal(invite.status, 404);
  await invite.body?.cancel();
  const sent = await c.say(room.id, "hello?");
  assert.ok(sent.type === "error" && sent.code === "not_found");
  const listed = await json(await carol.get("/api/rooms?q="), 200);
  assert.deepEqual(listed.rooms, [], "the directory lists public rooms only");
});

Deno.test("room bodies are checked at the edge, and answer with the one error shape", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const room = await createRoom(alice, "checks");
  const bad = async (response: Response, status: number, code: string) =>
    assert.equal((await json(response, status)).error.code, code);
  await bad(
    await alice.post("/api/rooms", { name: "x", visibility: "secret" }),
    400,
    "invalid_input",
  );
  const empty = await json(
    await alice.post("/api/rooms", { name: " ", visibility: "public" }),
    400,
  );
  assert.deepEqual(empty.error.fields, { name: "A room's name cannot be empty." });
  await bad(await alice.post("/api/rooms", { visibility: "public" }), 400, "invalid_input");
  await bad(await patch(alice, `/api/rooms/${room.id}`, {}), 400, "invalid_input");
  await bad(await alice.post(`/api/rooms/${room.id}/members`, {}), 400, "invalid_input");
  await bad(
    await patch(alice, `/api/rooms/${room.id}/members/${alice.id}`, { role: "owner" }),
    400,
    "invalid_input",
  );
  await bad(
    await alice.request("POST", "/api/rooms", {
      body: "name=x",
      headers: { "Content-Type": "text/plain" },
    }),
    415,
    "unsupported_media_type",
  );
  for (const id of ["abc", "0", "-1", "1.5"]) {
    await bad(await alice.get(`/api/rooms/${id}`), 404, "not_found");
  }
  const anonymous = createClient(server.origin);
  await bad(
    await anonymous.post("/api/rooms", { name: "x", visibility: "public" }),
    401,
    "unauthenticated",
  );
});

Deno.test("state-changing room routes refuse requests from another site", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const room = await createRoom(alice, "csrf");
  const foreign = { Origin: "https://evil.example" };
  const attempts = [
    alice.post("/api/rooms", { name: "x", visibility: "public" }, foreign),
    alice.post(`/api/rooms/${room.id}/leave`, undefined, { "Sec-Fetch-Site": "cross-site" }),
    alice.request("DELETE", `/api/rooms/${room.id}`, { headers: foreign }),
  ];
  for (const response of await Promise.all(attempts)) {
    assert.equal((await json(response, 403)).error.code, "forbidden_origin");
  }
  assert.equal((await json(await alice.get(`/api/rooms/${room.id}`), 200)).room.memberCount, 1);
});

Deno.test("an invited friend's sockets learn it at once; removed, they stop receiving and cannot read history", async () => {
  await using server = await startTestServer();
  const { alice, bob } = await people(server, "alice", "bob");
  await alice.befriend(bob);
  const room = await createRoom(alice, "watercooler");
  await using a = await alice.chat();
  await using b1 = await bob.chat();
  await using b2 = await bob.chat();
  const invited = await json(
    await alice.post(`/api/rooms/${room.id}/members`, { username: "BOB" }),
    201,
  );
  assert.deepEqual([invited.member.username, invited.member.role], ["bob", "member"]);
  assert.equal(invited.member.presence.online, true, "a friend's presence");
  for (const tab of [b1, b2]) await tab.waitFor((f) => f.type === "room_joined");
  await a.say(room.id, "welcome bob");
  for (const tab of [b1, b2]) {
    await tab.waitFor((f) => f.type === "message" && f.message.text === "welcome bob");
  }
  const members = await json(await bob.get(`/api/rooms/${room.id}/members`), 200);
  assert.deepEqual(members.members.map((m: { username: string }) => m.username), ["alice", "bob"]);

  assert.equal(
    await json(await alice.request("DELETE", `/api/rooms/${room.id}/members/${bob.id}`), 204),
    null,
  );
  for (const tab of [b1, b2]) {
    await tab.waitFor((f) => f.type === "room_left" && f.reason === "removed");
  }
  await a.say(room.id, "bob is gone");
  await sleep(100);
  for (const tab of [b1, b2]) {
    assert.deepEqual(
      tab.all("message").filter((f) => f.message.conversationId === room.id).map((f) =>
        f.message.text
      ),
      ["welcome bob"],
    );
  }
  assert.equal(
    (await json(await bob.get(`/api/conversations/${room.id}/messages`), 404)).error.code,
    "not_found",
  );
});

Deno.test("joining and leaving a public room from the directory; roles over HTTP; the owner's hand-off", async () => {
  await using server = await startTestServer();
  const { alice, bob, carol } = await people(server, "alice", "bob", "carol");
  const room = await createRoom(alice, "open house", "public");
  const joined = await json(await bob.post(`/api/rooms/${room.id}/join`), 200);
  assert.deepEqual([joined.room.role, joined.room.memberCount], ["member", 2]);
  await json(await carol.post(`/api/rooms/${room.id}/join`), 200);
  const found = await json(await carol.get("/api/rooms?q=house"), 200);
  assert.deepEqual(found.rooms.map((r: RoomView) => [r.name, r.memberCount, r.role]), [[
    "open house",
    3,
    "member",
  ]]);
  const made = await json(
    await patch(alice, `/api/rooms/${room.id}/members/${carol.id}`, { role: "admin" }),
    200,
  );
  assert.equal(made.member.role, "admin");
  const refused = await json(
    await patch(bob, `/api/rooms/${room.id}/members/${carol.id}`, { role: "member" }),
    403,
  );
  assert.equal(refused.error.code, "not_allowed");
  assert.equal(await json(await alice.post(`/api/rooms/${room.id}/leave`), 204), null);
  const members = await json(await bob.get(`/api/rooms/${room.id}/members`), 200);
  assert.deepEqual(
    members.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`),
    ["bob:member", "carol:owner"],
  );
  assert.equal((await json(await alice.post("/api/rooms/1/leave"), 403)).error.code, "not_allowed");
});

Deno.test("room changes beyond the pace answer 429 with Retry-After; over a limit, a clear 409", async () => {
  await using server = await startTestServer({
    ROOM_CHANGES_PER_MIN: "3",
    ROOMS_PER_USER_CREATED: "2",
  });
  const { alice } = await people(server, "alice");
  await createRoom(alice, "one");
  await createRoom(alice, "two");
  const over = await json(
    await alice.post("/api/rooms", { name: "three", visibility: "public" }),
    409,
  );
  assert.equal(over.error.code, "too_many_rooms_created");
  assert.match(over.error.message, /created 2 rooms/);
  const limited = await alice.post("/api/rooms", { name: "four", visibility: "public" });
  assert.equal((await json(limited, 429)).error.code, "rate_limited");
  assert.ok(Number(limited.headers.get("Retry-After")) > 0);
});
