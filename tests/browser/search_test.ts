// Search in Chromium: `/` opens it, results mark the matching words as text, and a result far
// back opens its conversation there, with history loading both ways from it; what is said
// meanwhile is there, once, on reaching the newest.
import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser, screenshot } from "../helpers/browser.ts";
import { log, registerInBrowser, say, waitLive } from "../helpers/chat_page.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "alice finds a message from days ago, opens it in place and reads on to the newest",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const carol = await registerInBrowser(browser, server.origin, "carol");
    const { store } = server.services;
    const bob = (await store.users.create("bob", "not a real hash", Date.now()))!;
    const days = Date.now() - 3 * 86_400_000;
    const insert = (text: string, i: number) =>
      store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: bob.id,
        senderName: "bob",
        clientId: crypto.randomUUID(),
        text,
        at: days + i,
      });
    await insert(
      "The deployment checklist: <b>deploy</b> on Fridays? <img src=x onerror=alert(1)>",
      0,
    );
    for (let i = 1; i <= 150; i++) await insert(`chatter ${i}`, i);
    await alice.page.reload();
    await waitLive(alice.page);
    await say(alice.page, "deploying again today");

    await log(alice.page).focus();
    await alice.page.keyboard.press("/");
    const dialog = alice.page.getByRole("dialog", { name: "Search messages" });
    await dialog.getByLabel("Search for").fill("deplo");
    await alice.page.keyboard.press("Enter");
    await dialog.getByText("2 found, newest first.").waitFor();
    const results = dialog.getByRole("list", { name: "Results" }).getByRole("button");
    assert.equal(await results.count(), 2);
    assert.match(await results.nth(0).innerText(), /alice[\s\S]*deploying again today/);
    const far = results.nth(1);
    assert.match(await far.innerText(), /<b>deploy<\/b> on Fridays\? <img src=x/);
    assert.deepEqual(await far.locator("mark").allInnerTexts(), ["deployment", "deploy"]);
    assert.equal(await dialog.locator("b, img").count(), 0, "markup in a message stays text");
    await assertAccessible(alice.page, "search results");
    await screenshot(alice.page, "search-results");

    // Opened: the message is in view and focused, with the messages around it, not the newest.
    await far.click();
    await dialog.waitFor({ state: "detached" });
    const found = alice.page.locator(".message:focus");
    await found.filter({ hasText: "The deployment checklist" }).waitFor();
    assert.ok(await log(alice.page).getByText("chatter 20", { exact: true }).isVisible());
    assert.equal(await log(alice.page).getByText("chatter 120", { exact: true }).count(), 0);
    await screenshot(alice.page, "search-opened");

    // Said while alice reads back there: it waits, and shows once she reaches the newest.
    await say(carol.page, "said while alice was reading back");
    await log(carol.page).getByText("said while alice was reading back").waitFor();
    const newest = log(alice.page).getByText("said while alice was reading back");
    for (let i = 0; i < 10 && !(await newest.count()); i++) {
      await log(alice.page).evaluate((el) => el.scrollTop = el.scrollHeight);
      await alice.page.waitForTimeout(150);
    }
    await newest.waitFor();
    assert.equal(await newest.count(), 1);
    assert.equal(await log(alice.page).getByText("chatter 120", { exact: true }).count(), 1);
    assert.equal(await log(alice.page).getByText("deploying again today").count(), 1);
    await alice.page.getByRole("button", { name: "Jump to the newest messages ↓" })
      .waitFor({ state: "detached" });
    for (const who of [alice, carol]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "Jump to the newest leaves a result far back; a refused query says why in the dialog",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { store } = server.services;
    const me = (await store.users.findByName("alice"))!;
    for (let i = 0; i <= 120; i++) {
      await store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: me.id,
        senderName: "alice",
        clientId: crypto.randomUUID(),
        text: i === 0 ? "the very first plan" : `later ${i}`,
        at: Date.now() - 1000 + i,
      });
    }
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByRole("button", { name: "Search" }).click();
    const dialog = alice.page.getByRole("dialog", { name: "Search messages" });
    const box = dialog.getByLabel("Search for");
    await box.fill("p");
    await box.press("Enter");
    await dialog.getByRole("alert").filter({ hasText: "too short" }).waitFor();
    await box.fill('"first plan" from:alice');
    await box.press("Enter");
    await dialog.getByRole("button", { name: /the very first plan/ }).click();
    await alice.page.locator(".message:focus").filter({ hasText: "the very first plan" }).waitFor();
    await alice.page.getByRole("button", { name: "Jump to the newest messages ↓" }).click();
    await log(alice.page).getByText("later 120", { exact: true }).waitFor();
    await alice.page.getByRole("button", { name: "Jump to the newest messages ↓" })
      .waitFor({ state: "detached" });
    // Sent from there, a message shows among the newest.
    await say(alice.page, "back at the newest");
    await log(alice.page).locator(".message:not(.pending)").filter({
      hasText: "back at the newest",
    })
      .waitFor();
    assert.deepEqual(alice.errors, []);
  },
);
