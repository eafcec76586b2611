// Attacks over HTTP against a real server process.
import assert from "node:assert/strict";
import { openTestDatabase } from "../helpers/backend.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";
import { sleep } from "../helpers/wait.ts";

async function counts(server: { databasePath: string; databaseUrl?: string }) {
  await using db = await openTestDatabase(server);
  const n = async (table: string) =>
    (await db.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n;
  return {
    users: await n("users"),
    sessions: await n("sessions"),
    messages: await n("messages"),
    requests: await n("friend_requests"),
    blocks: await n("blocks"),
  };
}

Deno.test("cross-site state changes get 403 and change nothing: Sec-Fetch-Site, foreign or null Origin, text/plain", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  await createClient(server.origin).register("bob");
  const before = await counts(server);
  const attacks: [string, string, BodyInit | undefined, Record<string, string>][] = [
    ["POST", "/api/friends/requests", JSON.stringify({ username: "bob" }), {
      "Content-Type": "application/json",
      Origin: "https://evil.example",
    }],
    ["POST", "/api/friends/requests", JSON.stringify({ username: "bob" }), {
      "Content-Type": "text/plain",
      Origin: "https://evil.example",
    }],
    ["POST", "/api/blocks", JSON.stringify({ username: "bob" }), {
      "Content-Type": "application/json",
      Origin: "null",
    }],
    ["POST", "/api/blocks", JSON.stringify({ username: "bob" }), {
      "Content-Type": "text/plain",
      "Sec-Fetch-Site": "cross-site",
    }],
    [
      "POST",
      "/api/password",
      JSON.stringify({ current: PASSWORDS.alice, new: "mallory was here!!" }),
      { "Content-Type": "text/plain", Origin: "https://evil.example" },
    ],
    ["POST", "/api/logout", undefined, { "Sec-Fetch-Site": "cross-site" }],
    ["POST", "/logout", new URLSearchParams({}), { Origin: "https://evil.example" }],
    [
      "POST",
      "/register",
      new URLSearchParams({
        username: "mallory",
        password: "x".repeat(20),
        confirm: "x".repeat(20),
      }),
      { Origin: "null" },
    ],
    ["DELETE", "/api/friends/bob", undefined, { Origin: "https://evil.example" }],
    ["PUT", "/api/friends/requests", undefined, { Origin: "https://evil.example" }],
    ["PATCH", "/api/me", undefined, { "Sec-Fetch-Site": "cross-site" }],
  ];
  for (const [method, path, body, headers] of attacks) {
    const response = await alice.request(method, path, { body, headers });
    assert.equal(response.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
    assert.equal((await response.json()).error.code, "forbidden_origin");
  }
  assert.deepEqual(await counts(server), before, "nothing changed");
  assert.equal((await alice.get("/api/me")).status, 200, "still logged in with the same password");
  // Our own pages' text/plain body is no JSON: refused (415), and nothing changes either.
  const plain = await alice.request("POST", "/api/friends/requests", {
    body: JSON.stringify({ username: "bob" }),
    headers: { "Content-Type": "text/plain", Origin: server.origin },
  });
  assert.equal(plain.status, 415);
  await plain.body?.cancel();
  assert.deepEqual(await counts(server), before);
});

Deno.test("1000 wrong passwords, with forged X-Forwarded-For too: throttled after 10, no hashing while throttled", async () => {
  await using server = await spawnServer({
    LOGIN_FAILURE_WINDOW_S: "8", // the 1000 tries must fit in it, on a loaded machine too
    LOGIN_PER_IP_PER_MIN: "100000",
  });
  await createClient(server.origin).register("alice");
  await createClient(server.origin).register("bob");
  const statuses = new Map<number, number>();
  const attacker = createClient(server.origin);
  await Promise.all(Array.from({ length: 10 }, async (_, worker) => {
    for (let i = worker; i < 1000; i += 10) {
      const forged: Record<string, string> = i % 2
        ? { "X-Forwarded-For": `203.0.113.${i % 250}` }
        : {};
      const response = await attacker.post("/api/login", {
        username: "alice",
        password: `guess number ${i}`,
      }, forged);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      await response.body?.cancel();
    }
  }));
  assert.equal(
    statuses.get(401),
    10,
    `10 real attempts, then throttled: ${JSON.stringify([...statuses])}`,
  );
  assert.equal(statuses.get(429), 990);
  const hashed = server.lines.filter((l) => l.includes("login.failed user=alice")).length;
  assert.equal(hashed, 10, "a hash was computed only for the first 10");
  await createClient(server.origin).login("bob"); // other accounts unaffected
  const during = await createClient(server.origin).post("/api/login", {
    username: "alice",
    password: PASSWORDS.alice,
  });
  assert.equal(during.status, 429, "even the right password waits out the window");
  await during.body?.cancel();
  await new Promise((done) => setTimeout(done, 8100));
  await createClient(server.origin).login("alice"); // and works after it
});

Deno.test("SQL-looking, HTML-looking, very long and control-character names and messages are refused or stored literally", async () => {
  await using server = await spawnServer({ MESSAGES_PER_10S: "1000" });
  const alice = createClient(server.origin);
  await alice.register("alice");
  const before = await counts(server);
  const badNames = [
    "x' OR '1'='1",
    "robert'); DROP TABLE users;--",
    "<img src=x onerror=alert(1)>",
    "a".repeat(10_000),
    "tab\there",
    "nul\u0000",
    "\u202eevil",
    "ｓｙｓｔｅｍ",
    "a\u0301b\u0301c\u0301",
  ];
  for (const username of badNames) {
    const response = await createClient(server.origin).post("/api/register", {
      username,
      password: "a perfectly fine passphrase",
    });
    assert.equal(response.status, 400, JSON.stringify(username).slice(0, 40));
    await response.body?.cancel();
  }
  assert.deepEqual(await counts(server), before, "no user was added");

  const socket = await openChat(server.origin, alice);
  const literal = [
    "'; DROP TABLE messages; --",
    "<script>alert(1)</script>",
    "Robert'); DELETE FROM users;--",
    "%00%27 OR 1=1",
    "\\u0000 is not NUL",
    "🐱‍👤 زبان 中文",
  ];
  for (const text of literal) assert.equal((await socket.say(LOBBY_ID, text)).type, "ack");
  for (const text of ["x".repeat(4001), "a\u0000b", "\u0007bell", "lone \udfff"]) {
    const reply = await socket.say(LOBBY_ID, text);
    assert.ok(reply.type === "error" && reply.code === "invalid_text");
  }
  await socket.close();
  const { messages } = await (await alice.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
  assert.deepEqual(
    messages.map((m: { text: string }) => m.text),
    literal,
    "stored and returned exactly",
  );
  assert.equal((await counts(server)).users, before.users, "the users table is intact");
});

Deno.test("every page and response carries the CSP header; no page has inline script", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const anonymous = createClient(server.origin);
  const pages: [ReturnType<typeof createClient>, string, string][] = [
    [anonymous, "GET", "/login"],
    [anonymous, "GET", "/register"],
    [anonymous, "GET", "/"],
    [anonymous, "GET", "/nope"],
    [anonymous, "POST", "/login"],
    [alice, "GET", "/"],
    [alice, "GET", "/api/me"],
    [alice, "GET", "/healthz"],
    [alice, "GET", "/static/app.css"],
  ];
  for (const [client, method, path] of pages) {
    const response = await client.request(method, path, { headers: { Accept: "text/html" } });
    const body = await response.text();
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /object-src 'none'/, path);
    for (const script of body.matchAll(/<script([^>]*)>/g)) {
      assert.match(
        script[1],
        /type="application\/json"|src="\/static\//,
        `${path}: no inline script`,
      );
    }
  }
});

Deno.test("session hygiene: cookie flags, a new token at every login, and no token in any URL or log line", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  const registered = await alice.post("/api/register", {
    username: "alice",
    password: PASSWORDS.alice,
  });
  const flags = registered.headers.get("set-cookie")!;
  await registered.body?.cancel();
  for (const flag of ["HttpOnly", "SameSite=Lax", "Path=/"]) assert.ok(flags.includes(flag), flag);
  const tokens = new Set([alice.jar.get("ugochat_session")!]);
  for (let i = 0; i < 5; i++) {
    await alice.login("alice");
    tokens.add(alice.jar.get("ugochat_session")!);
  }
  assert.equal(tokens.size, 6, "every login gets a new token");
  const socket = await openChat(server.origin, alice);
  await socket.close();
  const form = await alice.postForm("/login", { username: "alice", password: PASSWORDS.alice });
  assert.equal(form.headers.get("location"), "/", "redirects carry no token");
  tokens.add(alice.jar.get("ugochat_session")!);
  await form.body?.cancel();
  await server.stop("SIGTERM");
  const everything = server.lines.join("\n") + server.stderr();
  for (const token of tokens) assert.ok(!everything.includes(token), "no token in the log");
  assert.ok(!everything.includes(PASSWORDS.alice), "no password in the log");
});

Deno.test("a flood of messages and sockets from one user is limited, and others are unaffected", async () => {
  await using server = await spawnServer({ SOCKETS_PER_USER: "5" });
  const mallory = createClient(server.origin);
  await mallory.register("mallory");
  const alice = createClient(server.origin);
  await alice.register("alice");
  const aliceSocket = await openChat(server.origin, alice);
  const opened = await Promise.allSettled(
    Array.from({ length: 40 }, () => openChat(server.origin, mallory)),
  );
  const live = opened.filter((r) => r.status === "fulfilled").map((r) =>
    (r as PromiseFulfilledResult<Awaited<ReturnType<typeof openChat>>>).value
  );
  assert.equal(live.length, 5, "at most SOCKETS_PER_USER sockets");
  for (let i = 0; i < 300; i++) {
    live[i % 5].send({
      type: "send",
      clientId: crypto.randomUUID(),
      conversationId: LOBBY_ID,
      text: `spam ${i}`,
    });
  }
  const answered = () => live.reduce((n, s) => n + s.all("ack").length + s.all("error").length, 0);
  for (const deadline = Date.now() + 20_000; answered() < 300 && Date.now() < deadline;) {
    await sleep(10);
  }
  assert.equal(answered(), 300, "every message was answered");
  const acks = live.reduce((n, s) => n + s.all("ack").length, 0);
  assert.equal(acks, 30, "30 messages in 10 s, the rest refused");
  const started = performance.now();
  assert.equal((await aliceSocket.say(LOBBY_ID, "alice is fine")).type, "ack");
  assert.ok(performance.now() - started < 1000, "alice is answered at once");
  await Promise.all([aliceSocket, ...live].map((s) => s.close()));
});
