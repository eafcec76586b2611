import assert from "node:assert/strict";
import { sqliteOnly } from "../helpers/backend.ts";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { startTestServer } from "../helpers/server.ts";

const json = (body: unknown) => ({
  "Content-Type": "application/json",
  body: JSON.stringify(body),
});

Deno.test("registering creates the user, logs them in and logs the event", async () => {
  await using server = await startTestServer();
  const alice = createClient(server.origin);
  const response = await alice.post("/api/register", {
    username: "Alice",
    password: PASSWORDS.alice,
  });
  assert.equal(response.status, 201);
  const { user } = await response.json();
  assert.equal(user.username, "alice");
  assert.equal(typeof user.id, "number");
  const cookie = response.headers.get("set-cookie")!;
  assert.match(cookie, /^ugochat_session=[\w-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.deepEqual(await (await alice.get("/api/me")).json(), { user });
  assert.ok(server.lines.some((l) => /account\.registered user=alice id=\d+/.test(l)));
});

Deno.test("usernames are normalized (NFKC, lower case) and unique case-insensitively", async () => {
  await using server = await startTestServer();
  const first = createClient(server.origin);
  assert.equal((await first.register("ａｌｉｃｅ")).username, "alice");
  const second = await createClient(server.origin).post("/api/register", {
    username: "ALICE",
    password: PASSWORDS.alice,
  });
  assert.equal(second.status, 409);
  assert.equal((await second.json()).error.code, "username_taken");
});

Deno.test("invalid registrations get 400 invalid_input with a message per field", async () => {
  await using server = await startTestServer();
  const client = createClient(server.origin);
  const cases: [unknown, string[]][] = [
    [{ username: "al", password: PASSWORDS.alice }, ["username"]],
    [{ username: "a".repeat(33), password: PASSWORDS.alice }, ["username"]],
    [{ username: "al ice", password: "short" }, ["password", "username"]],
    [{ username: "lobby", password: PASSWORDS.alice }, ["username"]],
    [{ username: "System", password: PASSWORDS.alice }, ["username"]],
    [{ username: "alice", password: "x".repeat(257) }, ["password"]],
    [{ username: "alice", password: "password1234" }, ["password"]],
    [{ username: "alice", password: "Correct Horse Battery Staple".replaceAll(" ", "") }, [
      "password",
    ]],
    [{ username: "alice" }, ["password"]],
    [{ username: 42, password: PASSWORDS.alice }, ["username"]],
  ];
  for (const [body, fields] of cases) {
    const response = await client.post("/api/register", body);
    assert.equal(response.status, 400, JSON.stringify(body));
    const { error } = await response.json();
    assert.equal(error.code, "invalid_input");
    assert.deepEqual(Object.keys(error.fields).sort(), fields, JSON.stringify(body));
    for (const field of fields) assert.ok(error.fields[field].length > 5);
  }
  assert.equal((await client.get("/api/me")).status, 401, "nobody was logged in");
});

Deno.test("passwords may hold spaces and any Unicode, up to 256 characters, never truncated", async () => {
  await using server = await startTestServer();
  const long = "🐱 ünïcödé and spaces ".repeat(12).slice(0, 250);
  const client = createClient(server.origin);
  await client.register("unicode", long);
  await createClient(server.origin).login("unicode", long);
  const truncated = await createClient(server.origin).post("/api/login", {
    username: "unicode",
    password: long.slice(0, -1),
  });
  assert.equal(truncated.status, 401);
});

Deno.test("a body that is not JSON gets 400; a body that is not application/json gets 415", async () => {
  await using server = await startTestServer();
  const bad = await fetch(`${server.origin}/api/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{nope",
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "invalid_json");
  const form = await fetch(`${server.origin}/api/register`, {
    method: "POST",
    body: new URLSearchParams({ username: "x" }),
  });
  assert.equal(form.status, 415);
  assert.equal((await form.json()).error.code, "unsupported_media_type");
});

Deno.test("two registrations racing for one name give one 201 and one 409", async () => {
  await using server = await startTestServer();
  const responses = await Promise.all([
    createClient(server.origin).post("/api/register", {
      username: "racer",
      password: PASSWORDS.alice,
    }),
    createClient(server.origin).post("/api/register", {
      username: "RACER",
      password: PASSWORDS.bob,
    }),
  ]);
  assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409]);
  await Promise.all(responses.map((r) => r.body?.cancel()));
});

Deno.test("login gives a new session token each time; logout revokes it on the server", async () => {
  await using server = await startTestServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const first = alice.cookieHeader;
  await alice.login("alice");
  const second = alice.cookieHeader;
  assert.notEqual(first, second);
  const stolen = createClient(server.origin);
  stolen.jar.set("ugochat_session", second.split("=")[1]);
  assert.equal((await stolen.get("/api/me")).status, 200);

  const logout = await alice.post("/api/logout");
  assert.equal(logout.status, 204);
  assert.match(logout.headers.get("set-cookie") ?? "", /ugochat_session=;.*Max-Age=0/);
  assert.equal((await stolen.get("/api/me")).status, 401, "the token no longer works anywhere");
  assert.ok(server.lines.some((l) => /\blogout user=alice/.test(l)));
});

Deno.test("a wrong password and an unknown username get the identical 401 body", async () => {
  await using server = await startTestServer();
  await createClient(server.origin).register("alice");
  const verifiedBefore = server.services.hasher.counts.verified;
  const wrong = await createClient(server.origin).post("/api/login", {
    username: "alice",
    password: "not alice's password",
  });
  const unknown = await createClient(server.origin).post("/api/login", {
    username: "nobody",
    password: "not alice's password",
  });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(await wrong.json(), await unknown.json());
  // Both paths spend one argon2 verification, so timing does not tell the names apart.
  assert.equal(server.services.hasher.counts.verified - verifiedBefore, 2);
  assert.ok(server.lines.some((l) => /login\.failed user=nobody/.test(l)));
});

Deno.test("GET /api/me without a valid session is 401", async () => {
  await using server = await startTestServer();
  const anonymous = await fetch(`${server.origin}/api/me`);
  assert.equal(anonymous.status, 401);
  assert.equal((await anonymous.json()).error.code, "unauthenticated");
  const forged = await fetch(`${server.origin}/api/me`, {
    headers: { Cookie: "ugochat_session=forged-token" },
  });
  assert.equal(forged.status, 401);
  await forged.body?.cancel();
});

Deno.test("changing the password revokes the user's other sessions but keeps this one", async () => {
  await using server = await startTestServer();
  const laptop = createClient(server.origin);
  await laptop.register("alice");
  const phone = createClient(server.origin);
  await phone.login("alice");
  const wrong = await laptop.post("/api/password", {
    current: "not it at all",
    new: "a brand new passphrase",
  });
  assert.equal(wrong.status, 400);
  assert.equal((await wrong.json()).error.fields.current, "The current password is wrong.");
  const weak = await laptop.post("/api/password", { current: PASSWORDS.alice, new: "short" });
  assert.equal(weak.status, 400);
  await weak.body?.cancel();

  const ok = await laptop.post("/api/password", {
    current: PASSWORDS.alice,
    new: "a brand new passphrase",
  });
  assert.equal(ok.status, 204);
  assert.equal((await laptop.get("/api/me")).status, 200);
  assert.equal((await phone.get("/api/me")).status, 401);
  await createClient(server.origin).login("alice", "a brand new passphrase");
  const old = await createClient(server.origin).post("/api/login", {
    username: "alice",
    password: PASSWORDS.alice,
  });
  assert.equal(old.status, 401);
  await old.body?.cancel();
});

Deno.test({
  name: "the database file never contains the plaintext password or the session token",
  ignore: sqliteOnly, // the bytes of the SQLite file
}, async () => {
  await using server = await startTestServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const token = alice.jar.get("ugochat_session")!;
  await alice.post("/api/password", { current: PASSWORDS.alice, new: "second secret passphrase" });
  await server.store.close();
  const files = [server.databasePath, `${server.databasePath}-wal`];
  for (const file of files) {
    const bytes = await Deno.readFile(file).catch(() => new Uint8Array());
    const text = new TextDecoder("latin1").decode(bytes);
    assert.ok(!text.includes(PASSWORDS.alice), `${file} has no first password`);
    assert.ok(!text.includes("second secret passphrase"), `${file} has no second password`);
    assert.ok(!text.includes(token), `${file} has no token`);
  }
  assert.ok(
    server.lines.every((l) => !l.includes(PASSWORDS.alice) && !l.includes(token)),
    "nor does the log",
  );
});

Deno.test("passwords are stored as argon2id with OWASP parameters", async () => {
  await using server = await startTestServer();
  await createClient(server.origin).register("alice");
  const user = await server.store.users.findByName("alice");
  assert.match(user!.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});

Deno.test("SQL-looking and HTML-looking usernames are refused, and nothing changes", async () => {
  await using server = await startTestServer();
  await createClient(server.origin).register("alice");
  for (
    const username of [
      "alice'; DROP TABLE users; --",
      "<script>alert(1)</script>",
      "bob\u0000",
      "a\nb\nc",
    ]
  ) {
    const response = await createClient(server.origin).post("/api/register", {
      username,
      password: PASSWORDS.bob,
    });
    assert.equal(response.status, 400, username);
    await response.body?.cancel();
  }
  const login = await createClient(server.origin).post("/api/login", {
    username: "' OR 1=1 --",
    password: "' OR 1=1 --",
  });
  assert.equal(login.status, 401);
  await login.body?.cancel();
  assert.ok(await server.store.users.findByName("alice"));
});

Deno.test("a cross-site state-changing request gets 403 forbidden_origin and changes nothing", async () => {
  await using server = await startTestServer();
  const cases: Record<string, string>[] = [
    { Origin: "https://evil.example" },
    { Origin: "null" },
    { "Sec-Fetch-Site": "cross-site" },
    { Origin: `${server.origin}.evil.example` },
  ];
  for (const headers of cases) {
    const api = await fetch(`${server.origin}/api/register`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ username: "mallory", password: PASSWORDS.alice }),
    });
    assert.equal(api.status, 403, JSON.stringify(headers));
    assert.equal((await api.json()).error.code, "forbidden_origin");
    const form = await fetch(`${server.origin}/register`, {
      method: "POST",
      headers,
      body: new URLSearchParams({
        username: "mallory",
        password: PASSWORDS.alice,
        confirm: PASSWORDS.alice,
      }),
      redirect: "manual",
    });
    assert.equal(form.status, 403, JSON.stringify(headers));
    await form.body?.cancel();
  }
  assert.equal(await server.store.users.findByName("mallory"), null);
  const same = await fetch(`${server.origin}/api/register`, {
    method: "POST",
    headers: { Origin: server.origin, "Sec-Fetch-Site": "same-origin", ...json({}) },
    body: JSON.stringify({ username: "mallory", password: PASSWORDS.alice }),
  });
  assert.equal(same.status, 201, "our own origin is welcome");
  await same.body?.cancel();
});

Deno.test("with an https PUBLIC_ORIGIN the cookie is Secure and __Host- prefixed", async () => {
  await using server = await startTestServer({ PUBLIC_ORIGIN: "https://chat.example.com" });
  const response = await fetch(`${server.origin}/api/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "https://chat.example.com" },
    body: JSON.stringify({ username: "alice", password: PASSWORDS.alice }),
  });
  assert.equal(response.status, 201);
  await response.body?.cancel();
  const cookie = response.headers.get("set-cookie")!;
  assert.match(cookie, /^__Host-ugochat_session=/);
  assert.match(cookie, /Secure/);
  assert.match(cookie, /HttpOnly/);
  const foreign = await fetch(`${server.origin}/api/logout`, {
    method: "POST",
    headers: { Origin: server.origin },
  });
  assert.equal(
    foreign.status,
    403,
    "the request's own host is not our origin when PUBLIC_ORIGIN is set",
  );
  await foreign.body?.cancel();
});
