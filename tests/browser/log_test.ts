// The message log in Chromium: where it lands, what it offers, how it reads time.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { log, registerInBrowser, say } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { openChat } from "../helpers/socket.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "what alice sends herself never shows “New messages ↓”: it brings her to the bottom",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    const { bob } = await people(server, "bob");
    await using b = await openChat(server.origin, bob);
    for (let n = 1; n <= 40; n++) await b.say(1, `message number ${n}`);
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const logBox = log(alice.page);
    await logBox.getByText("message number 40", { exact: true }).waitFor();
    await logBox.evaluate((el) => (el.scrollTop = el.scrollHeight / 3));
    await say(alice.page, "my own words");
    await logBox.locator(".message:not(.pending)").getByText("my own words").waitFor();
    await alice.page.waitForTimeout(200);
    assert.equal(await alice.page.getByRole("button", { name: /New messages/ }).count(), 0);
    assert.equal(
      await logBox.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5),
      true,
    );
  },
);
