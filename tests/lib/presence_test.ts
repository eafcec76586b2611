import assert from "node:assert/strict";
import { people } from "../helpers/people.ts";
import { sleep } from "../helpers/wait.ts";
import { startTestServer } from "../helpers/server.ts";
import { startHarness } from "../helpers/harness.ts";
import { openChat } from "../helpers/socket.ts";

const GRACE = "300";

Deno.test("friends see each other come online and go offline with a last-seen time", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: GRACE });
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using a = await openChat(server.origin, folks.alice);
  assert.deepEqual(a.snapshot.friends.map((f) => [f.username, f.online, f.lastSeenAt]), [[
    "bob",
    false,
    null,
  ]]);
  const b = await openChat(server.origin, folks.bob);
  await a.waitFor((f) => f.type === "presence" && f.userId === b.snapshot.me.id && f.online);
  assert.deepEqual(b.snapshot.friends.map((f) => [f.username, f.online]), [["alice", true]]);
  const before = Date.now();
  await b.close();
  const gone = await a.waitFor((f) => f.type === "presence" && !f.online);
  assert.ok(gone.type === "presence" && gone.lastSeenAt! >= before);
  await using again = await openChat(server.origin, folks.alice);
  assert.equal(again.snapshot.friends[0].lastSeenAt, gone.lastSeenAt, "a fresh snapshot agrees");
});

Deno.test("a user with two tabs is online once, and offline only when the last tab closes", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: GRACE });
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using a = await openChat(server.origin, folks.alice);
  const tab1 = await openChat(server.origin, folks.bob);
  const tab2 = await openChat(server.origin, folks.bob);
  await tab1.close();
  await sleep(Number(GRACE) + 300);
  assert.equal(
    a.all("presence").filter((f) => !f.online).length,
    0,
    "still online through the other tab",
  );
  assert.equal(a.all("presence").filter((f) => f.online).length, 1, "announced online once");
  await tab2.close();
  await a.waitFor((f) => f.type === "presence" && !f.online);
});

Deno.test("a page reload does not flicker offline and back", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: "1500" });
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using a = await openChat(server.origin, folks.alice);
  const first = await openChat(server.origin, folks.bob);
  await a.waitFor((f) => f.type === "presence" && f.online);
  await first.close();
  await using _second = await openChat(server.origin, folks.bob);
  await sleep(1800);
  assert.deepEqual(a.all("presence").map((f) => f.online), [true]);
});

Deno.test("only friends see a user's presence", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: GRACE });
  const folks = await people(server, "alice", "bob", "eve");
  await folks.alice.befriend(folks.bob);
  await using e = await openChat(server.origin, folks.eve);
  await using a = await openChat(server.origin, folks.alice);
  await using _b = await openChat(server.origin, folks.bob);
  await a.waitFor((f) => f.type === "presence" && f.online);
  await sleep(100);
  assert.deepEqual(e.all("presence"), []);
  assert.deepEqual(e.snapshot.friends, []);
});

Deno.test("appearing offline hides a user from friends and keeps their last-seen time still", async () => {
  await using server = await startTestServer({ PRESENCE_GRACE_MS: GRACE });
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using a = await openChat(server.origin, folks.alice);
  const b = await openChat(server.origin, folks.bob);
  await a.waitFor((f) => f.type === "presence" && f.online);
  b.send({ type: "set_status", appearOffline: true });
  await b.waitFor((f) => f.type === "status" && f.appearOffline);
  const hidden = await a.waitFor((f) => f.type === "presence" && !f.online);
  assert.ok(
    hidden.type === "presence" && hidden.lastSeenAt === null,
    "never seen leave before: no last-seen",
  );
  await b.close();
  await sleep(Number(GRACE) + 300);
  const b2 = await openChat(server.origin, folks.bob);
  assert.equal(b2.snapshot.me.appearOffline, true, "the setting is kept");
  await sleep(100);
  assert.equal(a.all("presence").length, 2, "nothing more was announced while hidden");
  await using fresh = await openChat(server.origin, folks.alice);
  assert.deepEqual(fresh.snapshot.friends.map((f) => [f.online, f.lastSeenAt]), [[false, null]]);
  b2.send({ type: "set_status", appearOffline: false });
  await a.waitFor((f) => f.type === "presence" && f.online);
  await b2.close();
});

Deno.test("a socket that closes during its handshake leaves nobody online", async () => {
  await using h = await startHarness({ PRESENCE_GRACE_MS: "100" });
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const b = await bob.connect();
  const tab = await alice.connect();
  tab.close(); // alice leaves: her grace period starts
  alice.open().close(); // a reload that gives up before its snapshot
  await sleep(300);
  assert.equal(await h.services.presence.isOnline(alice.id), false);
  const last = b.all("presence").at(-1);
  assert.ok(last && !last.online, "bob saw alice go offline");
});

Deno.test("two tabs that open at the same moment show their user online once", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const b = await bob.connect();
  const [tab1, tab2] = [alice.open(), alice.open()]; // both join before either's handshake ends
  await tab1.waitFor((f) => f.type === "caught_up");
  await tab2.waitFor((f) => f.type === "caught_up");
  assert.equal(await h.services.presence.isOnline(alice.id), true);
  await b.waitFor((f) => f.type === "presence" && f.userId === alice.id && f.online);
  assert.equal(b.all("presence").filter((f) => f.online).length, 1, "announced once");
});
