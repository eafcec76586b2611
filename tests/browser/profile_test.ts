// Profile cards in Chromium: a name in the log is a way to befriend or message its owner.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { log, registerInBrowser } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "bob's name in the Lobby opens his card: Add friend, then Message once he accepts",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { page } = alice;
    const { bob } = await people(server, "bob");
    await using b = await bob.chat();
    await b.say(1, "hello, anyone?");
    const name = log(page).getByRole("button", { name: "bob, show profile" });
    await name.click();
    const card = page.getByRole("dialog", { name: "bob's profile" });
    await card.getByText("Not your friend").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Add friend");
    await assertAccessible(page, "the profile card");
    await page.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "bob");

    await name.click();
    await card.getByRole("button", { name: "Add friend" }).click();
    await card.getByText("You asked to be friends").waitFor();
    await (await bob.post("/api/friends/requests/alice/accept")).body?.cancel();
    await card.getByText("Your friend").waitFor();
    await card.getByRole("button", { name: "Message" }).click();
    await page.getByRole("heading", { name: "@ bob" }).waitFor();
    await card.waitFor({ state: "detached" });
  },
);
