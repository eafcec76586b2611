// The conversation list in Chromium: what each conversation last said, newest first.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { registerInBrowser, say } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { openDirect } from "../helpers/socket.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "the conversation list shows each one's last message and puts the latest direct message first",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob, carol } = await people(server, "bob", "carol");
    for (const friend of [bob, carol]) {
      await (await friend.post("/api/friends/requests", { username: "alice" })).body?.cancel();
      await alice.page.getByRole("button", { name: `Accept ${friend.name}` }).click();
    }
    await using b = await bob.chat();
    await using c = await carol.chat();
    await b.say(
      await openDirect(bob, "alice"),
      "from bob, a long line that will not fit in the list",
    );
    await alice.page.getByRole("button", { name: /^@ bob/ }).waitFor();
    await c.say(await openDirect(carol, "alice"), "from carol");
    await say(alice.page, "hello Lobby");

    const names = () => alice.page.locator(".conversations .name").allInnerTexts();
    await alice.page.locator(".preview").filter({ hasText: "from carol" }).waitFor();
    assert.deepEqual(await names(), ["# Lobby", "@ carol", "@ bob"]);
    const lobby = alice.page.getByRole("button", { name: /^# Lobby/ });
    await alice.page.locator("#preview-1").filter({ hasText: "You: hello Lobby" }).waitFor();
    assert.match(
      (await lobby.getAttribute("aria-describedby")) ?? "",
      /^preview-1$/,
      "the preview describes its button",
    );
    assert.match(await alice.page.locator("#preview-1 time").innerText(), /^\d\d:\d\d$/);

    await b.say(await openDirect(bob, "alice"), "bob again");
    await alice.page.locator(".preview").filter({ hasText: "bob again" }).waitFor();
    assert.deepEqual(await names(), ["# Lobby", "@ bob", "@ carol"], "bob's is the latest now");
    const preview = await alice.page.locator(".preview-text").nth(1).evaluate((el) =>
      getComputedStyle(el).whiteSpace
    );
    assert.equal(preview, "nowrap", "one line");

    await (await carol.request("DELETE", "/api/friends/alice")).body?.cancel();
    await alice.page.getByRole("button", { name: /^@ carol.*\(not friends\)/ }).waitFor();
  },
);

Deno.test(
  "the tab title counts what is unread, and on a phone the Friends button shows a dot for news",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice", {
      width: 390,
      height: 760,
    });
    const { page } = alice;
    const toggle = page.getByRole("button", { name: /^Friends/ });
    const dot = toggle.locator(".new-dot");
    assert.equal(await page.title(), "UgoChat");
    assert.equal(await dot.count(), 0);
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await page.getByRole("button", { name: "Friends (something new)" }).waitFor();
    await toggle.click();
    await page.getByRole("button", { name: "Accept bob" }).click();
    await page.getByRole("button", { name: "Close" }).click();
    await dot.waitFor({ state: "detached" });

    await using b = await bob.chat();
    const dm = await openDirect(bob, "alice");
    await b.say(dm, "one");
    await b.say(dm, "two");
    await page.waitForFunction(() => document.title === "(2) UgoChat");
    await dot.waitFor();
    await toggle.click();
    await page.getByRole("button", { name: /^@ bob/ }).click();
    await page.waitForFunction(() => document.title === "UgoChat");
    assert.equal(await dot.count(), 0);
  },
);
