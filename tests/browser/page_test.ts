// The page's frame in Chromium: who is signed in shows once, and a phone gets one compact bar.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { registerInBrowser } from "../helpers/chat_page.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "the username shows once; at phone width one compact bar, with Log out in the drawer",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const desktop = await registerInBrowser(browser, server.origin, "alice");
    assert.equal(await desktop.page.getByText("alice", { exact: true }).count(), 1, "once");
    assert.equal(await desktop.page.getByRole("button", { name: "Log out" }).isVisible(), true);

    const phone = await registerInBrowser(browser, server.origin, "bob", {
      width: 390,
      height: 844,
    });
    const { page } = phone;
    assert.equal(await page.locator(".topbar").isVisible(), false, "no second bar");
    const bar = await page.locator(".conversation-header").evaluate((el) =>
      el.getBoundingClientRect()
    );
    assert.ok(bar.top === 0 && bar.height < 56, `one compact bar at the top (${bar.height} px)`);
    await page.getByRole("button", { name: /^Friends/ }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Username").waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
  },
);
