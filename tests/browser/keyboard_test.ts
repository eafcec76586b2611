// Keyboard and focus in Chromium: the drawer, the ⋯ menu, and where the cursor starts.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { befriendInBrowser, friendItem, log, registerInBrowser } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { openDirect } from "../helpers/socket.ts";

const PHONE = { width: 390, height: 760 };

Deno.test(
  "at phone width the drawer traps focus while open and gives it back to its toggle; closed, it is out of Tab's reach",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page } = await registerInBrowser(browser, server.origin, "alice", PHONE);
    const where = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.closest("#sidebar") ? "drawer" : el?.tagName.toLowerCase() ?? "none";
      });
    assert.notEqual(await where(), "textarea", "the composer waits: no keyboard pops up");
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      assert.notEqual(await where(), "drawer", `Tab ${i + 1} stays out of the closed drawer`);
    }

    await page.getByRole("button", { name: /^Friends/ }).click();
    await page.waitForFunction(() => document.activeElement?.closest("#sidebar"));
    await assertAccessible(page, "the open drawer");
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Tab");
      const at = await where();
      assert.ok(at === "drawer" || at === "body", `Tab ${i + 1} stays in the drawer (${at})`);
    }
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.activeElement?.classList.contains("drawer-toggle"));
  },
);

Deno.test("the ⋯ menu takes focus, and arrow keys move within it", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice");
  const bob = await registerInBrowser(browser, server.origin, "bob");
  await befriendInBrowser(alice, "alice", bob, "bob");
  const { page } = alice;
  const focusOn = (text: string) =>
    page.waitForFunction((t) => document.activeElement?.textContent?.trim() === t, text, {
      timeout: 2_000,
    });
  await page.getByRole("button", { name: "More actions for bob" }).focus();
  await page.keyboard.press("Enter");
  await focusOn("Remove friend");
  await page.keyboard.press("ArrowDown");
  await focusOn("Block");
  await page.keyboard.press("ArrowDown");
  await focusOn("Remove friend"); // round and round
  await page.keyboard.press("ArrowUp");
  await focusOn("Block");
  await page.keyboard.press("Enter");
  await page.getByText("Block bob? They will not be able to message you.").waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains("danger"));
  await page.keyboard.press("Escape");
  await focusOn("⋯");
  assert.equal(await page.getByRole("group", { name: "Actions for bob" }).count(), 0);
});

Deno.test(
  "`?` lists the shortcuts; Alt+↑/↓ move between conversations, Alt+Shift+↓ to the next unread, Ctrl+K opens one by name",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page } = await registerInBrowser(browser, server.origin, "alice");
    const { bob, carol } = await people(server, "bob", "carol");
    for (const friend of [bob, carol]) {
      await (await friend.post("/api/friends/requests", { username: "alice" })).body?.cancel();
      await page.getByRole("button", { name: `Accept ${friend.name}` }).click();
      await friendItem(page, friend.name).waitFor(); // accepted: a DM may be opened now
    }
    await using b = await bob.chat();
    await using c = await carol.chat();
    const bobDm = await openDirect(bob, "alice");
    // Each DM is listed as soon as it is opened; its message, which sets its place in the
    // order, arrives a moment later: wait for the unread it brings.
    await b.say(bobDm, "from bob");
    await page.getByRole("button", { name: /^@ bob.*unread/ }).waitFor();
    await c.say(await openDirect(carol, "alice"), "from carol");
    await page.getByRole("button", { name: /^@ carol.*unread/ }).waitFor();
    const heading = (name: string) => page.getByRole("heading", { name, exact: true }).waitFor();
    // The latest first: carol's DM right under the Lobby, then bob's, before the keys move.
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".conversations .name")].slice(0, 3)
        .map((el) => el.textContent?.trim()).join("|") === "# Lobby|@ carol|@ bob"
    );

    await log(page).focus();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.getByText("Previous / next conversation").waitFor();
    await assertAccessible(page, "the shortcuts dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("heading", { name: "# Lobby", exact: true }).waitFor();

    await page.keyboard.press("Alt+ArrowDown");
    await heading("@ carol");
    await page.keyboard.press("Alt+ArrowDown");
    await heading("@ bob");
    await page.keyboard.press("Alt+ArrowUp");
    await heading("@ carol");
    await b.say(bobDm, "bob again");
    await page.getByRole("button", { name: /^@ bob.*unread/ }).waitFor();
    await page.keyboard.press("Alt+Shift+ArrowDown");
    await heading("@ bob");

    await page.keyboard.press("Control+k");
    const switcher = page.getByRole("dialog", { name: "Go to a conversation" });
    await switcher.waitFor();
    await assertAccessible(page, "the quick switcher");
    await page.keyboard.type("lob");
    await page.keyboard.press("Enter");
    await heading("# Lobby");
    await switcher.waitFor({ state: "detached" });
  },
);
