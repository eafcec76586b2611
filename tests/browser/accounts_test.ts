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
