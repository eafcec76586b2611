// Throttling and limits on accounts, against a real server.
import assert from "node:assert/strict";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { startTestServer } from "../helpers/server.ts";

const wrong = { username: "alice", password: "definitely not her password" };

Deno.test("after 10 failed logins an account gets 429 with Retry-After, without hashing, until the window passes", async () => {
  await using server = await startTestServer({
    LOGIN_FAILURE_WINDOW_S: "4", // room for 12 hashes on a loaded machine before it passes
    LOGIN_PER_IP_PER_MIN: "10000",
  });
  await createClient(server.origin).register("alice");
  await createClient(server.origin).register("bob");
  const attacker = createClient(server.origin);
  for (let i = 0; i < 10; i++) {
    const response = await attacker.post("/api/login", wrong);
    assert.equal(response.status, 401);
    await response.body?.cancel();
  }
  const verified = server.services.hasher.counts.verified;
  for (let i = 0; i < 50; i++) {
    const response = await attacker.post(
      "/api/login",
      i % 2 ? wrong : { username: "alice", password: PASSWORDS.alice },
    );
    assert.equal(response.status, 429);
    assert.ok(Number(response.headers.get("retry-after")) >= 1);
    assert.equal((await response.json()).error.code, "rate_limited");
  }
  assert.equal(
    server.services.hasher.counts.verified,
    verified,
    "no hash was computed while throttled",
  );
  await createClient(server.origin).login("bob"); // other accounts are unaffected

  await new Promise((done) => setTimeout(done, 4100));
  await createClient(server.origin).login("alice"); // the right password works once the window passes
});

Deno.test("logins per address are limited; X-Forwarded-For is ignored unless TRUST_PROXY is set", async () => {
  await using server = await startTestServer({ LOGIN_PER_IP_PER_MIN: "3" });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await createClient(server.origin).post("/api/login", {
      ...wrong,
      username: `user${i}`,
    }, {
      "X-Forwarded-For": `10.0.0.${i}`,
    });
    statuses.push(response.status);
    await response.body?.cancel();
  }
  assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
});

Deno.test("behind a trusted proxy each forwarded address has its own login limit", async () => {
  await using server = await startTestServer({ LOGIN_PER_IP_PER_MIN: "1", TRUST_PROXY: "1" });
  const statuses: number[] = [];
  for (const address of ["192.0.2.1", "192.0.2.2", "192.0.2.1"]) {
    const response = await createClient(server.origin).post("/api/login", wrong, {
      "X-Forwarded-For": `203.0.113.9, ${address}`,
    });
    statuses.push(response.status);
    await response.body?.cancel();
  }
  assert.deepEqual(statuses, [401, 401, 429]);
});

Deno.test("registrations per address are limited", async () => {
  await using server = await startTestServer({ REGISTER_PER_IP_PER_HOUR: "2" });
  await createClient(server.origin).register("first");
  await createClient(server.origin).register("second");
  const third = await createClient(server.origin).post("/api/register", {
    username: "third",
    password: PASSWORDS.carol,
  });
  assert.equal(third.status, 429);
  assert.ok(third.headers.get("retry-after"));
  await third.body?.cancel();
  assert.equal(await server.store.users.findByName("third"), null);
});

Deno.test("a login flood beyond the hashing queue gets 503 busy instead of piling up", async () => {
  await using server = await startTestServer({
    HASH_CONCURRENCY: "1",
    HASH_QUEUE_MAX: "2",
    LOGIN_PER_IP_PER_MIN: "10000",
  });
  const responses = await Promise.all(
    Array.from(
      { length: 12 },
      (_, i) =>
        createClient(server.origin).post("/api/login", {
          username: `nobody${i}`,
          password: "x".repeat(20),
        }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  await Promise.all(responses.map((r) => r.body?.cancel()));
  assert.ok(statuses.includes(503), `some were turned away: ${statuses}`);
  assert.ok(statuses.filter((s) => s === 401).length >= 3, `the queue was served: ${statuses}`);
  assert.ok(statuses.every((s) => s === 401 || s === 503));
});
