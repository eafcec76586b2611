// Read receipts in Chromium: "Seen" and its time under your last message a friend has read,
// live; the "Send read receipts" switch hides them both ways.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser, screenshot } from "../helpers/browser.ts";
import { befriendInBrowser, log, registerInBrowser, say, waitLive } from "../helpers/chat_page.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "alice sees when bob has read her message; with bob's receipts off, neither sees the other's",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    await alice.page.getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    await say(alice.page, "are you coming tonight?");
    await say(alice.page, "I can pick you up");
    const last = log(alice.page).locator(".message").filter({ hasText: "I can pick you up" });
    await last.waitFor();
    await assertAccessible(alice.page, "a direct conversation before it is read");
    assert.equal(await log(alice.page).getByText(/^Seen/).count(), 0, "not read yet");

    // bob opens it: "Seen" and the time appear under alice's last message, and only there.
    await bob.page.getByRole("button", { name: /@ alice/ }).click();
    await log(bob.page).getByText("I can pick you up").waitFor();
    const seen = last.locator(".seen");
    await seen.waitFor();
    assert.match(await seen.innerText(), /^Seen \d\d:\d\d$/);
    assert.equal(await log(alice.page).locator(".seen").count(), 1);
    assert.equal(await log(bob.page).locator(".seen").count(), 0, "bob wrote nothing yet");
    await screenshot(alice.page, "receipt-seen");

    // bob answers, alice reads it (her conversation is open): bob sees "Seen" too.
    await say(bob.page, "yes please!");
    await log(bob.page).locator(".message").filter({ hasText: "yes please!" }).locator(".seen")
      .waitFor();

    // bob turns his receipts off: alice no longer sees his, and he no longer sees hers.
    const toggle = bob.page.getByRole("checkbox", { name: "Send read receipts" });
    assert.equal(await toggle.isChecked(), true, "on by default");
    await toggle.uncheck();
    await seen.waitFor({ state: "detached" });
    await log(bob.page).locator(".seen").waitFor({ state: "detached" });
    await say(alice.page, "great, at 8");
    await log(bob.page).getByText("great, at 8").waitFor();
    await bob.page.reload();
    await waitLive(bob.page);
    assert.equal(
      await bob.page.getByRole("checkbox", { name: "Send read receipts" }).isChecked(),
      false,
    );
    await log(bob.page).getByText("great, at 8").waitFor();
    await alice.page.reload();
    await waitLive(alice.page);
    await log(alice.page).getByText("great, at 8").waitFor();
    assert.equal(await log(alice.page).locator(".seen").count(), 0, "nor after a reload");

    // On again: alice sees how far bob read, at once.
    await bob.page.getByRole("checkbox", { name: "Send read receipts" }).check();
    await log(alice.page).locator(".message").filter({ hasText: "great, at 8" }).locator(".seen")
      .waitFor();
    for (const who of [alice, bob]) assert.deepEqual(who.errors, []);
  },
);
