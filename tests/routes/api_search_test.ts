// GET /api/search on a real server: the query syntax end to end (words, phrases, from:, in:,
// dates in the searcher's time zone), paging, visibility, and refusals in the one error shape.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import type { Client } from "../helpers/client.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";

const search = async (client: Client, query: Record<string, string>) => {
  const response = await client.get(`/api/search?${new URLSearchParams(query)}`);
  return { status: response.status, body: await response.json() };
};
const texts = (body: { messages: { text: string }[] }) => body.messages.map((m) => m.text);

Deno.test("search finds words, phrases and prefixes among what the searcher may see, newest first, in pages", async () => {
  await using server = await startTestServer();
  const { alice, bob, carol } = await people(server, "alice", "bob", "carol");
  await alice.befriend(bob);
  await using a = await alice.chat();
  await using b = await bob.chat();
  const dm = await alice.directWith(bob);
  for (const text of ["Deployment at noon", "the deploy is done", "lunch?"]) {
    assert.equal((await a.say(LOBBY_ID, text)).type, "ack");
  }
  assert.equal((await b.say(dm, "deploy the café menu")).type, "ack");

  assert.deepEqual(texts((await search(alice, { q: "deplo" })).body), [
    "deploy the café menu",
    "the deploy is done",
    "Deployment at noon",
  ]);
  assert.deepEqual(texts((await search(carol, { q: "deplo" })).body), [
    "the deploy is done",
    "Deployment at noon",
  ], "not alice and bob's direct messages");
  assert.deepEqual(texts((await search(alice, { q: "cafe" })).body), ["deploy the café menu"]);
  assert.deepEqual(texts((await search(alice, { q: '"deploy is"' })).body), ["the deploy is done"]);
  assert.deepEqual(texts((await search(alice, { q: "deplo from:BOB" })).body), [
    "deploy the café menu",
  ]);
  assert.deepEqual(texts((await search(alice, { q: "deplo in:@bob" })).body), [
    "deploy the café menu",
  ]);
  assert.deepEqual(texts((await search(alice, { q: "deplo in:#lobby" })).body).length, 2);

  const first = await search(alice, { q: "deplo", limit: "2" });
  assert.equal(first.body.hasMore, true);
  const next = await search(alice, {
    q: "deplo",
    limit: "2",
    before: String(first.body.messages[1].id),
  });
  assert.deepEqual(texts(next.body), ["Deployment at noon"]);
  assert.equal(next.body.hasMore, false);
  const [hit] = first.body.messages;
  assert.equal(hit.conversationId, dm);
  assert.equal(hit.sender.username, "bob");
});

Deno.test("before: and after: are days where the searcher is", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const { store } = server.services;
  const at = (text: string, iso: string) =>
    store.messages.insert({
      conversationId: LOBBY_ID,
      senderId: alice.id,
      senderName: "alice",
      clientId: crypto.randomUUID(),
      text,
      at: Date.parse(iso),
    });
  await at("early on the 2nd in Berlin", "2026-03-01T23:30:00Z"); // 00:30 there (UTC+1)
  await at("the 2nd at noon", "2026-03-02T12:00:00Z");
  const berlin = String(-60); // Date#getTimezoneOffset there in winter
  assert.deepEqual(texts((await search(alice, { q: "after:2026-03-01", tz: berlin })).body), [
    "the 2nd at noon",
    "early on the 2nd in Berlin",
  ]);
  assert.deepEqual(texts((await search(alice, { q: "after:2026-03-01" })).body), [
    "the 2nd at noon", // in UTC the other was on the 1st
  ]);
  assert.deepEqual(texts((await search(alice, { q: "before:2026-03-02", tz: berlin })).body), []);
  assert.deepEqual(texts((await search(alice, { q: "before:2026-03-02" })).body), [
    "early on the 2nd in Berlin",
  ]);
});

Deno.test("a query that cannot be run is refused with what to change", async () => {
  await using server = await startTestServer();
  const { alice } = await people(server, "alice");
  const cases: [Record<string, string>, number, string, RegExp][] = [
    [{ q: "" }, 400, "bad_query", /Type a word/],
    [{ q: "d" }, 400, "bad_query", /too short/],
    [{ q: "from:" }, 400, "bad_query", /from:sam/],
    [{ q: "before:yesterday" }, 400, "bad_query", /date/],
    [{ q: "from:nobody hello" }, 400, "no_such_user", /nobody/],
    [{ q: "in:#nowhere hello" }, 400, "not_found", /#nowhere/],
    [{ q: "in:@nobody hello" }, 400, "not_found", /@nobody/],
    [{ q: "x".repeat(300) }, 400, "bad_query", /at most/],
    [{}, 400, "invalid_input", /q/],
  ];
  for (const [query, status, code, message] of cases) {
    const { status: got, body } = await search(alice, query);
    assert.equal(got, status, JSON.stringify(query));
    assert.equal(body.error.code, code, JSON.stringify(query));
    assert.match(body.error.message, message, JSON.stringify(query));
  }
  const anonymous = await fetch(`${server.origin}/api/search?q=hello`);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test("searches are rate-limited per user, with Retry-After", async () => {
  await using server = await startTestServer({ SEARCHES_PER_MIN: "3" });
  const { alice, bob } = await people(server, "alice", "bob");
  for (let i = 0; i < 3; i++) assert.equal((await search(alice, { q: "hello" })).status, 200);
  const response = await alice.get("/api/search?q=hello");
  assert.equal(response.status, 429);
  assert.ok(Number(response.headers.get("retry-after")) > 0);
  assert.equal((await response.json()).error.code, "rate_limited");
  assert.equal((await search(bob, { q: "hello" })).status, 200, "each user has their own");
});
