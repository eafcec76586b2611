// Rooms in Chromium, with real servers and several people, each in their own browser context.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { befriendInBrowser, log, registerInBrowser, say } from "../helpers/chat_page.ts";
import {
  apiAs,
  createRoomApi,
  createRoomInPage,
  header,
  roomAction,
  roomLink,
  roomsList,
} from "../helpers/rooms_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";

const colour = (page: import("playwright-core").Page, text: string) =>
  page.locator(".message").filter({ hasText: text }).evaluate((el) =>
    getComputedStyle(el).backgroundColor
  );

Deno.test(
  "alice makes a private room and invites bob, who sees it at once on both tabs, talks in it and sees it renamed",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    const bobTab = await bob.context.newPage();
    await bobTab.goto(server.origin);

    await createRoomInPage(alice.page, "watercooler", { topic: "tea and gossip" });
    await roomLink(alice.page, "watercooler").filter({ hasText: "private" }).waitFor();
    await alice.page.locator(".room-topic").filter({ hasText: "tea and gossip" }).waitFor();

    await roomAction(alice.page, "Invite a friend…");
    const invite = alice.page.getByRole("dialog", { name: "Invite a friend" });
    await invite.getByLabel("Friend").selectOption("bob");
    await invite.getByRole("button", { name: "Invite" }).click();
    await invite.waitFor({ state: "detached" });

    await roomLink(bob.page, "watercooler").waitFor();
    await roomLink(bobTab, "watercooler").waitFor();
    await roomLink(bob.page, "watercooler").click();
    await header(bob.page).filter({ hasText: "# watercooler" }).waitFor();
    await say(bob.page, "hello room");
    await log(alice.page).getByText("hello room").waitFor();
    await alice.page.getByLabel("Message", { exact: true }).pressSequentially("wel");
    await bob.page.getByText("alice is typing…").waitFor();
    await say(alice.page, "welcome bob");
    await log(bob.page).getByText("welcome bob").waitFor();
    await alice.page.getByRole("button", { name: /^# Lobby/ }).click();
    await say(bob.page, "are you there");
    await roomLink(alice.page, "watercooler").locator(".badge").filter({ hasText: /^1/ }).waitFor();
    await roomLink(alice.page, "watercooler").click();
    assert.equal(await colour(alice.page, "hello room"), "rgb(220, 252, 231)", "theirs: green");
    assert.equal(await colour(bob.page, "hello room"), "rgb(219, 234, 254)", "mine: blue");

    await roomAction(alice.page, "Rename…");
    const rename = alice.page.getByRole("dialog", { name: "Rename the room" });
    await rename.getByLabel("Name").fill("kitchen");
    await rename.getByRole("button", { name: "Save" }).click();
    await header(bob.page).filter({ hasText: "# kitchen" }).waitFor();
    await roomLink(bobTab, "kitchen").waitFor();
    assert.equal(await roomsList(bob.page).getByText("watercooler").count(), 0);
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  },
);

Deno.test(
  "alice finds a public room in Browse and joins it; its members show presence for her friends only",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    const { carol } = await people(server, "carol");
    const room = await createRoomApi(carol, "book club", "public", "novels on fridays");
    await createRoomApi(carol, "chess", "public");
    await (await (await apiAs(server.origin, "bob")).post(`/api/rooms/${room.id}/join`)).body
      ?.cancel();

    await alice.page.getByRole("button", { name: "Browse rooms" }).click();
    const browse = alice.page.getByRole("dialog", { name: "Browse rooms" });
    await browse.getByRole("status").filter({ hasText: "2 rooms" }).waitFor();
    await browse.getByLabel("Search public rooms").fill("book");
    await browse.getByRole("status").filter({ hasText: "1 room" }).waitFor();
    const entry = browse.getByRole("listitem").filter({ hasText: "book club" });
    await entry.getByText("2 members").waitFor();
    await entry.getByText("novels on fridays").waitFor();
    await assertAccessible(alice.page, "Browse rooms");
    await entry.getByRole("button", { name: "Join book club" }).click();
    await browse.waitFor({ state: "detached" });
    await header(alice.page).filter({ hasText: "# book club" }).waitFor();
    await roomLink(alice.page, "book club").filter({ hasText: "public" }).waitFor();

    await alice.page.getByRole("button", { name: "Members" }).click();
    const panel = alice.page.getByRole("complementary", { name: /^Members/ });
    await panel.getByRole("heading", { name: "Members (3)" }).waitFor();
    const row = (name: string) => panel.getByRole("listitem").filter({ hasText: name });
    await row("bob").getByText("member, online").waitFor();
    assert.equal(await row("carol").locator(".member-about").innerText(), "owner");
    assert.equal(await row("carol").locator(".dot").count(), 0, "no presence, not even a dot");
    await row("alice").getByText("(you)").waitFor();
    await assertAccessible(alice.page, "members panel");
    await alice.page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    assert.equal(
      await alice.page.evaluate(() => document.activeElement?.textContent),
      "Members",
      "focus back on the toggle",
    );
    assert.deepEqual(alice.errors, []);
  },
);

Deno.test(
  "New room from the keyboard only: focus goes in and stays, Escape closes, focus comes back",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { page } = alice;
    const opener = page.getByRole("button", { name: "New room" });
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "New room" });
    await dialog.waitFor();
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest("dialog"));
    assert.equal(await focusedId(), "room-name", "focus on the name");
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      assert.ok(await inDialog(), `still in the dialog after ${i + 1} Tab`);
    }
    await page.keyboard.press("Escape");
    // A closed <dialog> leaves the accessibility tree at once and the page a moment later (on
    // its close event): wait for the element itself, or the next Enter races that event.
    await page.locator("dialog.dialog").waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "New room");

    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Enter"); // no name yet
    await dialog.getByRole("alert").filter({ hasText: "Name the room." }).waitFor();
    assert.equal(await dialog.getByLabel("Name").getAttribute("aria-invalid"), "true");
    await assertAccessible(page, "New room, with an error");
    await page.keyboard.type("x".repeat(3) + " ");
    await page.keyboard.press("Tab");
    await page.keyboard.type("plans");
    await page.keyboard.press("Tab"); // the private choice
    await page.keyboard.press("ArrowDown"); // public
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await roomLink(page, "xxx").filter({ hasText: "public" }).waitFor();
    await page.locator(".composer textarea:focus").waitFor(); // ready to say something there
    await page.locator(".room-topic").filter({ hasText: "plans" }).waitFor();

    await page.getByRole("button", { name: "Room actions" }).focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("group", { name: "Actions for xxx" });
    await menu.waitFor();
    // The menu shows, then its first item takes the focus (an effect after the render).
    await menu.locator("button:focus").filter({ hasText: "Rename…" }).waitFor();
    await assertAccessible(page, "room menu");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label")),
      "Room actions",
    );
    assert.deepEqual(alice.errors, []);
  },
);
