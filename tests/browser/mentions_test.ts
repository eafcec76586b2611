// Mentions in Chromium: the `@` picker from the keyboard and the mouse, the highlighted
// message and the mention badge apart from the unread one, and `@room` offered only to those
// who may use it.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser, screenshot } from "../helpers/browser.ts";
import { befriendInBrowser, log, registerInBrowser, say } from "../helpers/chat_page.ts";
import { apiAs, createRoomApi, header, inviteApi, roomLink } from "../helpers/rooms_page.ts";
import { startTestServer } from "../helpers/server.ts";
import { waitUntil } from "../helpers/wait.ts";

Deno.test(
  "typing @ offers the room's members as a listbox: arrows choose, Enter inserts, the message mentions its reader",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const carol = await registerInBrowser(browser, server.origin, "carol");
    await befriendInBrowser(alice, "alice", bob, "bob");
    await befriendInBrowser(alice, "alice", carol, "carol");
    const aliceApi = await apiAs(server.origin, "alice");
    const room = await createRoomApi(aliceApi, "plans");
    await inviteApi(aliceApi, room.id, "bob");
    await inviteApi(aliceApi, room.id, "carol");

    // carol, a plain member, is offered bob and alice but not @room.
    await roomLink(carol.page, "plans").click();
    await header(carol.page).filter({ hasText: "# plans" }).waitFor();
    const box = carol.page.getByLabel("Message", { exact: true });
    await box.pressSequentially("see you @");
    const list = carol.page.getByRole("listbox", { name: "Mention" });
    await list.waitFor();
    assert.deepEqual(await list.getByRole("option").allInnerTexts(), ["@alice", "@bob"]);
    assert.equal(await box.getAttribute("aria-activedescendant"), "mention-option-0");
    await assertAccessible(carol.page, "the mention picker open");
    await box.press("ArrowDown");
    assert.equal(
      await list.getByRole("option", { selected: true }).innerText(),
      "@bob",
      "↓ moves the choice",
    );
    await box.press("Enter"); // inserts, does not send
    await list.waitFor({ state: "detached" });
    assert.equal(await box.inputValue(), "see you @bob ");
    await box.pressSequentially("at 8");
    await box.press("Enter");
    await log(carol.page).getByText("see you @bob at 8").waitFor();

    // bob, in the Lobby, sees the room's mention badge apart from its unread count; in the room,
    // the message is marked for him.
    const link = roomLink(bob.page, "plans");
    await link.getByText("1 mention", { exact: false }).waitFor();
    assert.match(await link.innerText(), /@\s*1[\s\S]*1/);
    await link.click();
    const mentioned = log(bob.page).locator(".message.mentioned");
    await mentioned.getByText("mentions you").waitFor();
    assert.match(await mentioned.innerText(), /see you @bob at 8/);
    assert.equal(await mentioned.locator(".mention.me").innerText(), "@bob");
    await screenshot(bob.page, "mention-highlighted");
    await roomLink(bob.page, "plans").getByText("mention", { exact: false }).waitFor({
      state: "detached",
    });

    // alice owns the room: she is offered @room first, picks it with the mouse, and everyone
    // else is mentioned.
    await roomLink(alice.page, "plans").click();
    await header(alice.page).filter({ hasText: "# plans" }).waitFor();
    const aliceBox = alice.page.getByLabel("Message", { exact: true });
    await aliceBox.pressSequentially("@r");
    const aliceList = alice.page.getByRole("listbox", { name: "Mention" });
    await aliceList.getByRole("option", { name: /^@room — everyone in the room$/ }).waitFor();
    await screenshot(alice.page, "mention-picker");
    await aliceList.getByRole("option", { name: /@room/ }).click();
    assert.equal(await aliceBox.inputValue(), "@room ");
    await assertFocused(alice.page, "composer-input");
    await aliceBox.pressSequentially("dinner is ready");
    await aliceBox.press("Enter");
    await log(bob.page).locator(".message.mentioned").filter({ hasText: "@room dinner is ready" })
      .waitFor();
    await roomLink(carol.page, "plans").waitFor();
    await log(carol.page).locator(".message.mentioned").filter({ hasText: "@room dinner" })
      .waitFor();

    // Escape closes the picker and leaves the text; the next @ opens it again.
    await aliceBox.pressSequentially("@b");
    await aliceList.waitFor();
    await aliceBox.press("Escape");
    await aliceList.waitFor({ state: "detached" });
    assert.equal(await aliceBox.inputValue(), "@b");
    await aliceBox.pressSequentially(" and @c");
    await aliceList.getByRole("option", { name: "@carol" }).waitFor();
    await aliceBox.press("Tab");
    assert.equal(await aliceBox.inputValue(), "@b and @carol ");
    for (const who of [alice, bob, carol]) assert.deepEqual(who.errors, []);
  },
);

Deno.test(
  "in the Lobby a mention counts apart, in the sidebar and in words, until it is read",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    const aliceApi = await apiAs(server.origin, "alice");
    const room = await createRoomApi(aliceApi, "quiet");
    await inviteApi(aliceApi, room.id, "bob");
    await roomLink(bob.page, "quiet").click(); // bob looks elsewhere
    await header(bob.page).filter({ hasText: "# quiet" }).waitFor();
    await say(alice.page, "hello @bob, welcome");
    await say(alice.page, "and everyone");
    const lobby = bob.page.getByRole("button", { name: /^# Lobby/ });
    let badges = "";
    await waitUntil(
      async () => /@\s*1\s*mention[\s\S]*2\s*unread/.test(badges = await lobby.innerText()),
      {
        what: "one mention and two unread",
        seen: () => badges,
        everyMs: 50,
      },
    );
    await assertAccessible(bob.page, "a mention badge in the sidebar");
    await lobby.click();
    await log(bob.page).locator(".message.mentioned").filter({ hasText: "hello @bob, welcome" })
      .waitFor();
    await lobby.getByText("mention").waitFor({ state: "detached" });
    assert.deepEqual(bob.errors, []);
  },
);

async function assertFocused(page: import("playwright-core").Page, id: string) {
  assert.equal(await page.evaluate(() => document.activeElement?.id), id);
}
