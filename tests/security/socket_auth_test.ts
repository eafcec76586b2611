// Who may open the chat socket: refused before any 101 for everyone else.
import assert from "node:assert/strict";
import { openTestDatabase } from "../helpers/backend.ts";
import { createClient } from "../helpers/client.ts";
import { spawnServer } from "../helpers/server.ts";

async function upgrade(origin: string, headers: Record<string, string>, host?: string) {
  const { hostname, port } = new URL(origin);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  const lines = [
    "GET /ws HTTP/1.1",
    `Host: ${host ?? `${hostname}:${port}`}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  const buffer = new Uint8Array(4096);
  const n = await conn.read(buffer);
  conn.close();
  return Number(
    /^HTTP\/1\.1 (\d{3})/.exec(new TextDecoder().decode(buffer.subarray(0, n ?? 0)))?.[1],
  );
}

Deno.test("sockets are refused without a live session: none, forged, expired, or logged out", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const live = alice.cookieHeader;
  const origin = { Origin: server.origin };
  assert.equal(
    await upgrade(server.origin, { ...origin, Cookie: live }),
    101,
    "the real thing works",
  );
  assert.equal(await upgrade(server.origin, origin), 401, "no session");
  assert.equal(
    await upgrade(server.origin, { ...origin, Cookie: "ugochat_session=" + "A".repeat(43) }),
    401,
    "forged",
  );
  assert.equal(
    await upgrade(server.origin, { ...origin, Cookie: "ugochat_session=" + "x".repeat(5000) }),
    401,
    "absurd",
  );

  const expired = createClient(server.origin);
  await expired.login("alice");
  {
    await using db = await openTestDatabase(server);
    await db.run(
      "UPDATE sessions SET expires_at = 0 WHERE last_seen_at = (SELECT MAX(last_seen_at) FROM sessions)",
    );
  }
  assert.equal(
    await upgrade(server.origin, { ...origin, Cookie: expired.cookieHeader }),
    401,
    "expired",
  );

  (await alice.post("/api/logout")).body?.cancel();
  assert.equal(await upgrade(server.origin, { ...origin, Cookie: live }), 401, "after logout");
});

Deno.test("cross-origin upgrades are refused: foreign, null, missing and look-alike origins", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const cookie = alice.cookieHeader;
  const { port } = new URL(server.origin);
  for (
    const origin of [
      "https://evil.example",
      "null",
      `http://127.0.0.1:${port}.evil.example`,
      `http://127.0.0.1.evil.example:${port}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
      `http://localhost:${port}`,
      `HTTP://127.0.0.1:${port}x`,
    ]
  ) {
    assert.equal(await upgrade(server.origin, { Origin: origin, Cookie: cookie }), 403, origin);
  }
  assert.equal(await upgrade(server.origin, { Cookie: cookie }), 403, "no Origin");
  // A forged Host makes its own origin match; behind PUBLIC_ORIGIN that trick fails too.
  await using pinned = await spawnServer({ PUBLIC_ORIGIN: "https://chat.example.com" });
  const bob = createClient(pinned.origin);
  const registered = await bob.post("/api/register", {
    username: "bob",
    password: "bob builds bridges daily",
  });
  assert.equal(registered.status, 201);
  await registered.body?.cancel();
  const cookieOfBob = bob.cookieHeader;
  assert.match(cookieOfBob, /^__Host-ugochat_session=/);
  assert.equal(
    await upgrade(pinned.origin, { Origin: "https://chat.example.com", Cookie: cookieOfBob }),
    101,
    "control",
  );
  const forged = await upgrade(pinned.origin, {
    Origin: "http://evil.example",
    Cookie: cookieOfBob,
  }, "evil.example");
  assert.equal(forged, 403, "a forged Host does not make a foreign Origin ours");
});
