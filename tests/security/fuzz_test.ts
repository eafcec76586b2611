// Fuzzing every JSON endpoint and every frame type: never a 500, never a crash.
import assert from "node:assert/strict";
import fc from "fast-check";
import { createClient } from "../helpers/client.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 150);
const seed = Deno.env.get("SEED") ? Number(Deno.env.get("SEED")) : undefined;
const LIMITS = {
  LOGIN_PER_IP_PER_MIN: "1000000",
  REGISTER_PER_IP_PER_HOUR: "1000000",
  MESSAGES_PER_10S: "1000000",
};

// Values of every shape, biased towards the names and types our schemas look for.
const value = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "alice",
      "bob",
      "",
      "lobby",
      "__proto__",
      "0",
      "-1",
      "1e309",
      "\u0000",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
  },
);
const keys = fc.constantFrom(
  "username",
  "password",
  "current",
  "new",
  "with",
  "type",
  "clientId",
  "conversationId",
  "text",
  "messageId",
  "appearOffline",
  "__proto__",
  "constructor",
  "",
);
const body = fc.oneof(
  fc.dictionary(keys, value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);
const segment = fc.oneof(
  fc.constantFrom("alice", "bob", "1", "0", "-1", "99999999999999999999", "%00", "..", "%2e%2e"),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const endpoint = fc.oneof(
  fc.constantFrom(
    "POST /api/register",
    "POST /api/login",
    "POST /api/logout",
    "POST /api/password",
    "GET /api/me",
    "GET /api/friends",
    "POST /api/friends/requests",
    "POST /api/blocks",
    "POST /api/conversations",
    "POST /login",
    "POST /register",
    "POST /logout",
  ),
  segment.map((s) => `POST /api/friends/requests/${s}/accept`),
  segment.map((s) => `POST /api/friends/requests/${s}/decline`),
  segment.map((s) => `DELETE /api/friends/requests/${s}`),
  segment.map((s) => `DELETE /api/friends/${s}`),
  segment.map((s) => `DELETE /api/blocks/${s}`),
  fc.tuple(segment, fc.string({ maxLength: 30 })).map(([id, q]) =>
    `GET /api/conversations/${id}/messages?before=${encodeURIComponent(q)}&limit=${
      encodeURIComponent(q)
    }`
  ),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
);

Deno.test("fuzzed requests to every JSON endpoint never get a 500 and never crash the server", async () => {
  await using server = await spawnServer(LIMITS);
  const alice = createClient(server.origin);
  await alice.register("alice");
  await createClient(server.origin).register("bob");
  await fc.assert(
    fc.asyncProperty(
      endpoint,
      body,
      contentType,
      fc.boolean(),
      async (target, payload, type, loggedIn) => {
        const [method, path] = target.split(" ");
        const client = loggedIn ? alice : createClient(server.origin);
        const response = await client.request(method, path, {
          body: method === "GET" ? undefined : payload,
          headers: type ? { "Content-Type": type } : {},
        });
        const text = await response.text();
        assert.ok(response.status < 500, `${target} → ${response.status} ${text.slice(0, 200)}`);
        if (path.startsWith("/api/") && response.status >= 400) {
          assert.ok(
            JSON.parse(text).error.code,
            target,
          );
        }
        if (response.status === 200 && path === "/api/logout") await alice.login("alice"); // keep alice logged in
      },
    ),
    { numRuns: RUNS * 4, seed },
  );
  assert.deepEqual(await (await fetch(`${server.origin}/healthz`)).json(), { ok: true });
  assert.ok(
    !server.lines.some((l) => l.includes("ERROR")),
    server.lines.filter((l) => l.includes("ERROR")).join("\n"),
  );
});

const id = fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(Number.MAX_SAFE_INTEGER), value);
const frame = fc.oneof(
  fc.record({
    type: fc.constant("send"),
    clientId: fc.oneof(fc.uuid(), value),
    conversationId: id,
    text: fc.oneof(fc.string({ unit: "grapheme", maxLength: 50 }), value),
  }, { requiredKeys: [] }),
  fc.record({ type: fc.constant("read"), conversationId: id, messageId: id }, { requiredKeys: [] }),
  fc.record({ type: fc.constant("typing"), conversationId: id }, { requiredKeys: [] }),
  fc.record({ type: fc.constant("set_status"), appearOffline: fc.oneof(fc.boolean(), value) }, {
    requiredKeys: [],
  }),
  fc.record({ type: fc.constantFrom("ping", "pong", "snapshot", "ack", "", "SEND") }, {
    requiredKeys: [],
  }),
  fc.dictionary(keys, value, { maxKeys: 5 }),
).map((f) => JSON.stringify(f));

Deno.test("fuzzed frames of every type get an answer or nothing, never a crash", async () => {
  await using server = await spawnServer(LIMITS);
  const alice = createClient(server.origin);
  await alice.register("alice");
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(frame, body), { minLength: 1, maxLength: 10 }),
      async (frames) => {
        // A fresh socket per run: more than 20 invalid frames on one socket close it, by design.
        const socket = await openChat(server.origin, alice);
        for (const data of frames) socket.raw(data);
        socket.send({ type: "ping" });
        await socket.waitFor((f) => f.type === "pong", 10_000);
        assert.equal(
          socket.socket.readyState,
          WebSocket.OPEN,
          "frames under 64 KiB never close the socket",
        );
        await socket.close();
      },
    ),
    { numRuns: RUNS, seed },
  );
  assert.deepEqual(await (await fetch(`${server.origin}/healthz`)).json(), { ok: true });
  const errors = server.lines.filter((l) => l.includes("ERROR"));
  assert.deepEqual(errors, [], "nothing went wrong inside the server");
});
