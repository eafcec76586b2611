import assert from "node:assert/strict";
import { PASSWORDS } from "../helpers/client.ts";
import { browserTest, launchBrowser, newPage, screenshot } from "../helpers/browser.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "a new visitor who opens / lands on a login page with Username and Password fields",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page, errors } = await newPage(browser);
    await page.goto(`${server.origin}/`);
    assert.equal(new URL(page.url()).pathname, "/login");
    await page.getByLabel("Username").waitFor();
    await page.getByLabel("Password").waitFor();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await screenshot(page, "login");
    assert.deepEqual(errors, []);
  },
);

Deno.test(
  "alice registers through the page, logs out, and logs in again",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page, errors } = await newPage(browser);
    await page.goto(`${server.origin}/login`);
    await page.getByRole("link", { name: "Create account" }).click();
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password", { exact: true }).fill("too short");
    await page.getByLabel("Confirm password").fill("too short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use at least 12 characters.").waitFor();
    assert.equal(await page.getByLabel("Username").inputValue(), "alice", "the username is kept");
    assert.equal(
      await page.getByLabel("Password", { exact: true }).inputValue(),
      "",
      "the password is not",
    );
    await screenshot(page, "register-errors");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORDS.alice);
    await page.getByLabel("Confirm password").fill(PASSWORDS.alice);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Signed in as alice").waitFor();
    assert.equal(new URL(page.url()).pathname, "/");

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").waitFor();
    await page.getByLabel("Username").fill("ALICE");
    await page.getByLabel("Password").fill(PASSWORDS.alice);
    await page.keyboard.press("Enter");
    await page.getByText("Signed in as alice").waitFor();
    assert.deepEqual(errors, []);
  },
);

Deno.test("logging in works with JavaScript disabled", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const { page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(`${server.origin}/register`);
  await page.getByLabel("Username").fill("bob");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORDS.bob);
  await page.getByLabel("Confirm password").fill(PASSWORDS.bob);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Signed in as bob").waitFor();
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByLabel("Username").fill("bob");
  await page.getByLabel("Password").fill("not bob's password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Wrong username or password.").waitFor();
  await page.getByLabel("Password").fill(PASSWORDS.bob);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Signed in as bob").waitFor();
});

Deno.test(
  "the login and register pages start in Username, and a failed submit focuses the first field in error",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page } = await newPage(browser);
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.goto(`${server.origin}/login`);
    assert.equal(await focused(), "username");
    await page.goto(`${server.origin}/register`);
    assert.equal(await focused(), "username");
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password", { exact: true }).fill("too short");
    await page.getByLabel("Confirm password").fill("too short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use at least 12 characters.").waitFor();
    assert.equal(await focused(), "password");
  },
);

Deno.test(
  "a 60,000-character password is answered with the limit, not “Enter a password.”",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page } = await newPage(browser);
    const huge = "x".repeat(60_000);
    await page.goto(`${server.origin}/login`);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill(huge);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Use at most 256 characters.").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "password");

    await page.goto(`${server.origin}/register`); // password and confirmation: past the body limit
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password", { exact: true }).fill(huge);
    await page.getByLabel("Confirm password").fill(huge);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("a password at most 256").waitFor();
    assert.equal(await page.getByText("Enter a password.").count(), 0);

    const answer = await fetch(`${server.origin}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.origin },
      body: JSON.stringify({ username: "alice", password: huge }),
    });
    const body = await answer.json();
    assert.equal(answer.status, 400);
    assert.match(JSON.stringify(body), /Use at most 256 characters\./);
  },
);
