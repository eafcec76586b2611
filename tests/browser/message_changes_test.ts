// Editing and deleting in Chromium: from the keyboard (↑ in the empty composer, the message's
// toolbar), live on the other side, "(edited)" and "message deleted" for everyone.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser, screenshot } from "../helpers/browser.ts";
import { log, registerInBrowser, say, waitLive } from "../helpers/chat_page.ts";
import { startTestServer } from "../helpers/server.ts";
import { HISTORY_PAGE, LOBBY_ID } from "../../lib/wire.ts";

const PHONE = { width: 390, height: 760 };

Deno.test(
  "alice edits her last message with ↑ and deletes one from its toolbar; bob sees both at once",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await say(alice.page, "see you at 7");
    await say(alice.page, "bring the map");
    await log(bob.page).getByText("bring the map").waitFor();

    // ↑ in the empty composer edits the last one: Enter saves.
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.press("ArrowUp");
    const editor = alice.page.getByLabel("Edit message");
    assert.equal(await editor.inputValue(), "bring the map");
    await assertAccessible(alice.page, "a message being edited");
    await editor.fill("bring the big map");
    await editor.press("Enter");
    const edited = log(bob.page).locator(".message").filter({ hasText: "bring the big map" });
    await edited.getByText("(edited)").waitFor();
    assert.equal(await log(bob.page).getByText("bring the map", { exact: true }).count(), 0);

    // From the log: ↑ reaches the messages, Enter goes into the toolbar, Delete… asks first.
    await log(alice.page).focus();
    await alice.page.keyboard.press("ArrowUp");
    await alice.page.keyboard.press("ArrowUp");
    const first = alice.page.locator(".message").filter({ hasText: "see you at 7" });
    assert.equal(await first.evaluate((el) => el === document.activeElement), true);
    await alice.page.keyboard.press("Enter");
    const toolbar = first.getByRole("toolbar", { name: "Actions for your message" });
    await toolbar.getByRole("button", { name: "Edit" }).waitFor();
    await alice.page.keyboard.press("ArrowRight"); // React → Reply
    await alice.page.keyboard.press("ArrowRight"); // → Edit
    await alice.page.keyboard.press("ArrowRight"); // → Delete…
    await alice.page.keyboard.press("Enter");
    await toolbar.getByText("Delete this message?").waitFor();
    await screenshot(alice.page, "message-delete-confirm");
    await toolbar.getByRole("button", { name: "Delete", exact: true }).click();
    await log(bob.page).getByText("message deleted").waitFor();
    await log(alice.page).getByText("message deleted").waitFor();
    assert.equal(await log(bob.page).getByText("see you at 7").count(), 0);

    // bob may not change alice's messages: no toolbar for him.
    assert.equal(await log(bob.page).getByRole("toolbar").count(), 0);
    // After a reload, both stay as they are.
    await bob.page.reload();
    await log(bob.page).getByText("message deleted").waitFor();
    await log(bob.page).locator(".message").filter({ hasText: "bring the big map" })
      .getByText("(edited)").waitFor();
    await screenshot(bob.page, "message-edited-deleted");

    // bob reads what it said before: "(edited)" opens the history, Escape closes it.
    await log(bob.page).getByRole("button", { name: "(edited)" }).click();
    const history = bob.page.getByRole("dialog", { name: "Edit history" });
    await history.getByText("bring the map", { exact: true }).waitFor();
    assert.match(
      await history.innerText(),
      /Sent[\s\S]*bring the map[\s\S]*Now, since[\s\S]*bring the big map/,
    );
    await assertAccessible(bob.page, "the edit history");
    await screenshot(bob.page, "edit-history");
    await bob.page.keyboard.press("Escape");
    await history.waitFor({ state: "detached" });
    for (const who of [alice, bob]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "bob reacts from a message's toolbar; alice sees who reacted and adds hers with a click",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await say(alice.page, "dinner at mine?");
    const message = log(bob.page).locator(".message").filter({ hasText: "dinner at mine?" });
    await message.waitFor();

    // From the keyboard: ↑ reaches the message, Shift+F10 (its context menu) its toolbar,
    // React the emoji.
    await log(bob.page).focus();
    await bob.page.keyboard.press("ArrowUp");
    await bob.page.keyboard.press("Shift+F10");
    const toolbar = message.getByRole("toolbar", { name: "Actions for alice's message" });
    await toolbar.locator("button:focus", { hasText: "React" }).waitFor(); // the menu has the keys
    assert.equal(await toolbar.getByRole("button", { name: "Edit" }).count(), 0, "not his to edit");
    await bob.page.keyboard.press("Enter"); // React
    await toolbar.getByRole("button", { name: "🎉" }).waitFor();
    await assertAccessible(bob.page, "the reaction picker");
    await toolbar.getByRole("button", { name: "🎉" }).click();

    const party = log(alice.page).getByRole("button", { name: "🎉 1: bob" });
    await party.waitFor();
    assert.equal(await party.getAttribute("aria-pressed"), "false");
    await party.click();
    await log(alice.page).getByRole("button", { name: "🎉 2: bob, you" }).waitFor();
    await log(bob.page).getByRole("button", { name: "🎉 2: you, alice" }).waitFor();
    await screenshot(alice.page, "reactions");

    // Any other single emoji can be typed; more than one is refused where it was typed.
    await message.hover();
    await message.getByRole("button", { name: "React" }).click();
    const other = message.getByLabel("Other emoji");
    await other.fill("🍕🍕");
    await other.press("Enter");
    await message.getByRole("alert").filter({ hasText: "Type one emoji." }).waitFor();
    await other.fill("🍕");
    await other.press("Enter");
    await log(alice.page).getByRole("button", { name: "🍕 1: bob" }).waitFor();
    for (const who of [alice, bob]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "bob replies to alice's message; the reply quotes it, and the quote leads back to it",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await say(alice.page, "who brings the cake?");
    await say(alice.page, "and who brings candles?");
    const original = log(bob.page).locator(".message").filter({ hasText: "who brings the cake?" });
    await original.waitFor();
    await original.hover();
    await original.getByRole("button", { name: "Reply" }).click();
    const box = bob.page.getByLabel("Message", { exact: true });
    await bob.page.getByText("Replying to alice").waitFor();
    await assertAccessible(bob.page, "replying");
    await box.fill("me, a chocolate one");
    await box.press("Enter");
    await bob.page.getByText("Replying to alice").waitFor({ state: "detached" });

    const reply = log(alice.page).locator(".message").filter({ hasText: "me, a chocolate one" });
    const quote = reply.getByRole("button", { name: "Replying to alice: show their message" });
    await quote.waitFor();
    assert.match(await quote.innerText(), /alice\s+who brings the cake\?/);
    await screenshot(alice.page, "reply");
    await quote.click();
    const focused = alice.page.locator(".message:focus");
    await focused.filter({ hasText: "who brings the cake?" }).waitFor();

    // Deleted, the original shows as such in the quote, live.
    const cake = log(alice.page).locator(".message").filter({ hasText: "who brings the cake?" });
    await cake.getByRole("button", { name: "Delete…" }).click();
    await cake.getByRole("button", { name: "Delete", exact: true }).click();
    await log(bob.page).locator(".message").filter({ hasText: "me, a chocolate one" })
      .getByText("deleted message").waitFor();
    for (const who of [alice, bob]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "at phone width a message's ⋯ button, or a long-press, opens its actions",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob", PHONE);
    await say(alice.page, "lunch at noon?");
    const lunch = log(bob.page).locator(".message").filter({ hasText: "lunch at noon?" });
    const toolbar = lunch.getByRole("toolbar", { name: "Actions for alice's message" });
    await lunch.waitFor();
    assert.equal(await toolbar.isVisible(), false, "no toolbar until asked for");
    await screenshot(bob.page, "message-phone");

    const open = lunch.getByRole("button", { name: "Actions" });
    await open.click();
    await toolbar.waitFor();
    await lunch.locator(".actions-toggle[aria-expanded=true]").waitFor();
    await assertAccessible(bob.page, "a message's actions at phone width");
    await screenshot(bob.page, "message-actions-phone");
    await toolbar.getByRole("button", { name: "React" }).click();
    await toolbar.getByRole("button", { name: "👍" }).click();
    await log(alice.page).getByRole("button", { name: "👍 1: bob" }).waitFor();
    await lunch.locator(".actions-toggle[aria-expanded=false]").waitFor();

    // A long-press is the context menu: it opens the toolbar of bob's own message, focused.
    await say(bob.page, "noon works");
    const mine = log(bob.page).locator(".message").filter({ hasText: "noon works" });
    await mine.waitFor();
    await bob.page.locator("body").click({ position: { x: 5, y: 5 } }); // the focus elsewhere
    await mine.locator(".text").dispatchEvent("contextmenu");
    const own = mine.getByRole("toolbar", { name: "Actions for your message" });
    await own.getByRole("button", { name: "Edit" }).waitFor();
    await bob.page.locator(".message-actions button:focus", { hasText: "React" }).waitFor();
    await own.getByRole("button", { name: "Reply" }).click();
    await bob.page.getByText("Replying to yourself").or(bob.page.getByText("Replying to bob"))
      .waitFor();
    for (const who of [alice, bob]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "a quote brings its original into view from pages back, loading older history on the way",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { store } = server.services;
    const bob = (await store.users.create("bob", "not a real hash", Date.now()))!;
    const insert = (text: string, replyTo?: number) =>
      store.messages.insert({
        conversationId: LOBBY_ID,
        senderId: bob.id,
        senderName: "bob",
        clientId: crypto.randomUUID(),
        text,
        at: Date.now(),
        replyTo,
      }).then((stored) => stored.message.id);
    const original = await insert("the plan, long ago");
    for (let i = 1; i <= 3 * HISTORY_PAGE; i++) await insert(`chatter ${i}`);
    await insert("as I said back then", original);
    await alice.page.reload();
    await waitLive(alice.page);

    const reply = log(alice.page).locator(".message").filter({ hasText: "as I said back then" });
    const quote = reply.getByRole("button", { name: "Replying to bob: show their message" });
    await quote.waitFor();
    const far = log(alice.page).locator(`.message[data-id="${original}"]`);
    assert.equal(await far.count(), 0, "the original is pages back, not loaded");
    await quote.click();
    await alice.page.locator(".message:focus").filter({ hasText: "the plan, long ago" })
      .waitFor({ timeout: 10_000 });
    assert.equal(await far.isVisible(), true);
    assert.ok(await log(alice.page).getByText("chatter 1", { exact: true }).isVisible());
    assert.deepEqual(alice.errors, []);
  },
);
