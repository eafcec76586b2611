// The server-rendered account pages, as a browser without JavaScript uses them.
import assert from "node:assert/strict";
import { createClient, PASSWORDS } from "../helpers/client.ts";
import { startTestServer } from "../helpers/server.ts";

const html = { Accept: "text/html" };

Deno.test("a visitor who opens / is sent to the login page, which has labelled fields", async () => {
  await using server = await startTestServer();
  const visitor = createClient(server.origin);
  const root = await visitor.get("/", html);
  assert.equal(root.status, 303);
  assert.equal(root.headers.get("location"), "/login");
  const page = await (await visitor.get("/login", html)).text();
  assert.match(page, /<label for="username">Username<\/label>/);
  assert.match(page, /<label for="password">Password<\/label>/);
  assert.match(page, /<button type="submit" class="primary">Log in<\/button>/);
  assert.match(page, /<a href="\/register">Create account<\/a>/);
  assert.ok(!page.includes("<script"), "the login page ships no JavaScript");
});

Deno.test("the register page has its fields, a button and a link back to log in", async () => {
  await using server = await startTestServer();
  const page = await (await fetch(`${server.origin}/register`)).text();
  for (const label of ["Username", "Password", "Confirm password"]) {
    assert.ok(page.includes(`>${label}</label>`), label);
  }
  assert.match(page, />Create account<\/button>/);
  assert.match(page, /<a href="\/login">Log in<\/a>/);
});

Deno.test("registering through the form lands on the chat page, signed in", async () => {
  await using server = await startTestServer();
  const browser = createClient(server.origin);
  const response = await browser.postForm("/register", {
    username: "Alice",
    password: PASSWORDS.alice,
    confirm: PASSWORDS.alice,
  });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/");
  const home = await (await browser.get("/", html)).text();
  assert.match(home, /Signed in as <strong>alice<\/strong>/);
  assert.match(
    home,
    /<form method="post" action="\/logout"><button type="submit">Log out<\/button>/,
  );
  const again = await browser.get("/login", html);
  assert.equal(again.status, 303, "a logged-in user is sent home from /login");
  assert.equal((await browser.get("/register", html)).status, 303);
});

Deno.test("form errors appear next to their field and keep the username, never the password", async () => {
  await using server = await startTestServer();
  const browser = createClient(server.origin);
  const response = await browser.postForm("/register", {
    username: "<b>al</b>",
    password: "short one",
    confirm: "short one",
  });
  assert.equal(response.status, 400);
  const page = await response.text();
  assert.match(page, /id="username-error" class="field-error">Use only letters/);
  assert.match(page, /id="password-error" class="field-error">Use at least 12 characters/);
  assert.match(page, /value="&lt;b>al&lt;\/b>"/, "the typed username is kept, as text");
  assert.ok(!page.includes("short one"), "the password is not echoed");

  const mismatch = await (await browser.postForm("/register", {
    username: "alice",
    password: PASSWORDS.alice,
    confirm: PASSWORDS.bob,
  })).text();
  assert.match(mismatch, /id="confirm-error" class="field-error">The passwords do not match/);
});

Deno.test("a failed login shows one message, keeps the username, and sets no cookie", async () => {
  await using server = await startTestServer();
  await createClient(server.origin).register("alice");
  const browser = createClient(server.origin);
  const response = await browser.postForm("/login", {
    username: "alice",
    password: "wrong password here",
  });
  assert.equal(response.status, 401);
  const page = await response.text();
  assert.match(page, /role="alert">Wrong username or password\./);
  assert.match(page, /value="alice"/);
  assert.equal(browser.jar.size, 0);
  const ok = await browser.postForm("/login", { username: "alice", password: PASSWORDS.alice });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/");
});

Deno.test("the Log out button ends the session and returns to the login page", async () => {
  await using server = await startTestServer();
  const browser = createClient(server.origin);
  await browser.register("alice");
  const response = await browser.postForm("/logout", {});
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/login");
  assert.equal((await browser.get("/", html)).status, 303);
  assert.equal((await browser.get("/api/me")).status, 401);
});
