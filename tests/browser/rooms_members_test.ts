// Rooms in Chromium, taken away and run: removals, leaving, deleting, a refused rename, older
// history, and the members panel at phone width.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { befriendInBrowser, log, registerInBrowser } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import {
  apiAs,
  createRoomApi,
  header,
  inviteApi,
  roomAction,
  roomLink,
} from "../helpers/rooms_page.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "a removed member sees the room vanish with a word and cannot open it; leaving asks first; a deletion takes it from everyone",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    const aliceApi = await apiAs(server.origin, "alice");
    const [attic, garden, cellar] = [
      await createRoomApi(aliceApi, "attic"),
      await createRoomApi(aliceApi, "garden"),
      await createRoomApi(aliceApi, "cellar"),
    ];
    for (const room of [attic, garden, cellar]) await inviteApi(aliceApi, room.id, "bob");
    await roomLink(bob.page, "cellar").waitFor();

    // Removed from the room he has open: it goes, he is told, and the page is the Lobby again.
    await roomLink(bob.page, "attic").click();
    await header(bob.page).filter({ hasText: "# attic" }).waitFor();
    await roomLink(alice.page, "attic").click();
    await alice.page.getByRole("button", { name: "Members" }).click();
    const panel = alice.page.getByRole("complementary", { name: /^Members/ });
    await panel.getByRole("button", { name: "Member actions for bob" }).click();
    await panel.getByRole("button", { name: "Make admin" }).click();
    await panel.getByRole("listitem").filter({ hasText: "bob" }).getByText("admin, online")
      .waitFor();
    await panel.getByRole("button", { name: "Member actions for bob" }).click();
    await panel.getByRole("button", { name: "Remove from room…" }).click();
    await panel.getByText("Remove bob from the room?").waitFor();
    await panel.getByRole("button", { name: "Remove", exact: true }).click();
    await panel.getByRole("heading", { name: "Members (1)" }).waitFor();
    await bob.page.getByRole("status").filter({ hasText: "You were removed from attic." })
      .waitFor();
    await header(bob.page).filter({ hasText: "# Lobby" }).waitFor();
    assert.equal(await roomLink(bob.page, "attic").count(), 0);
    await bob.page.goto(`${server.origin}/#c${attic.id}`);
    await bob.page.locator("#sidebar[data-ready]").waitFor();
    await header(bob.page).filter({ hasText: "# Lobby" }).waitFor();
    const history = await (await apiAs(server.origin, "bob")).get(
      `/api/conversations/${attic.id}/messages`,
    );
    await history.body?.cancel();
    assert.equal(history.status, 404, "its history is closed to him");

    // Leaving asks first; Cancel keeps the room.
    await roomLink(bob.page, "garden").click();
    await roomAction(bob.page, "Leave room…");
    await bob.page.getByText("Leave garden? You will stop receiving its messages.").waitFor();
    await bob.page.getByRole("button", { name: "Cancel" }).click();
    await roomAction(bob.page, "Leave room…");
    await bob.page.getByRole("button", { name: "Leave", exact: true }).click();
    await header(bob.page).filter({ hasText: "# Lobby" }).waitFor();
    assert.equal(await roomLink(bob.page, "garden").count(), 0);
    assert.equal(await bob.page.locator(".notice-region").innerText(), "", "no word for his own");

    // The owner deletes the cellar: gone for bob too, with a word.
    await roomLink(alice.page, "cellar").click();
    await roomAction(alice.page, "Delete room…");
    await alice.page.getByRole("button", { name: "Delete", exact: true }).click();
    await header(alice.page).filter({ hasText: "# Lobby" }).waitFor();
    await bob.page.getByRole("status").filter({ hasText: "cellar was deleted." }).waitFor();
    assert.equal(await roomLink(bob.page, "cellar").count(), 0);
    assert.equal(await roomLink(alice.page, "cellar").count(), 0);
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  },
);

Deno.test(
  "at phone width the members panel is a drawer: the page behind is inert while it is open, Escape gives focus back",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice", {
      width: 390,
      height: 800,
    });
    const { page } = alice;
    const room = await createRoomApi(await apiAs(server.origin, "alice"), "attic");
    await page.getByRole("button", { name: "Friends" }).click();
    await roomLink(page, "attic").click();
    await header(page).filter({ hasText: "# attic" }).waitFor();
    await page.getByRole("button", { name: "Members" }).click();
    const panel = page.getByRole("complementary", { name: /^Members/ });
    await panel.getByRole("heading", { name: "Members (1)" }).waitFor();
    const inert = (selector: string) =>
      page.locator(selector).evaluate((el) => el.closest("[inert]") !== null);
    assert.equal(await inert(".composer textarea"), true, "the composer is behind the drawer");
    assert.equal(await inert(".members-close"), false);
    assert.equal(await page.evaluate(() => document.activeElement?.className), "members-close");
    await assertAccessible(page, "members drawer");
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    assert.equal(await inert(".composer textarea"), false);
    assert.equal(await page.evaluate(() => document.activeElement?.className), "members-toggle");
    assert.equal(page.url(), `${server.origin}/#c${room.id}`);
    assert.deepEqual(alice.errors, []);
  },
);

Deno.test(
  "a room's older history loads at the top, and a rename the server refuses says why by the field",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { carol } = await people(server, "carol");
    const room = await createRoomApi(await apiAs(server.origin, "alice"), "archive", "public");
    await (await carol.post(`/api/rooms/${room.id}/join`)).body?.cancel();
    await using socket = await carol.chat();
    for (let i = 1; i <= 60; i++) await socket.say(room.id, `archive line ${i}`);
    await roomLink(alice.page, "archive").click();
    await log(alice.page).getByText("archive line 60", { exact: true }).waitFor();
    await alice.page.keyboard.press("Escape"); // marks it read
    await roomLink(alice.page, "archive").locator(".badge").waitFor({ state: "detached" });
    await alice.page.reload(); // all read now: the room opens on its newest page only
    await alice.page.locator("main.conversation[data-connection=live]").waitFor();
    await log(alice.page).getByText("archive line 60", { exact: true }).waitFor();
    assert.equal(await log(alice.page).getByText("archive line 1", { exact: true }).count(), 0);
    await log(alice.page).evaluate((el) => (el.scrollTop = 0));
    await log(alice.page).getByText("archive line 1", { exact: true }).waitFor();

    await roomAction(alice.page, "Rename…");
    const rename = alice.page.getByRole("dialog", { name: "Rename the room" });
    await rename.getByLabel("Name").fill("   ");
    await rename.getByRole("button", { name: "Save" }).click();
    await rename.getByRole("alert").filter({ hasText: /./ }).waitFor();
    assert.equal(await rename.getByLabel("Name").getAttribute("aria-invalid"), "true");
    assert.deepEqual(alice.errors, []);
  },
);
