// The message log in Chromium: where it lands, what it offers, how it reads time.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser, newPage } from "../helpers/browser.ts";
import { log, registerInBrowser, say, waitLive } from "../helpers/chat_page.ts";
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

Deno.test(
  "opening a conversation with unread messages lands at a “New messages” divider; Escape marks it read",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    const { bob } = await people(server, "bob");
    await using b = await openChat(server.origin, bob);
    for (let n = 1; n <= 30; n++) await b.say(1, `read before ${n}`);
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    await log(alice.page).getByText("read before 30", { exact: true }).waitFor();
    await alice.page.getByRole("button", { name: "# Lobby" }).waitFor(); // no badge: read
    await alice.page.close();
    for (let n = 1; n <= 30; n++) await b.say(1, `unread ${n}`);

    const page = await alice.context.newPage();
    await page.goto(server.origin);
    await waitLive(page);
    const divider = log(page).locator(".unread-divider");
    await divider.waitFor();
    const inView = (locator: typeof divider) =>
      locator.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const logBox = el.closest(".log")!.getBoundingClientRect();
        return box.top >= logBox.top && box.bottom <= logBox.bottom;
      });
    assert.equal(await inView(divider), true, "landed at the divider");
    assert.equal(
      await log(page).locator(".unread-divider + .message").getByText("unread 1").count(),
      1,
      "the divider sits above the first unread",
    );
    await page.getByRole("button", { name: /# Lobby.*30 unread/ }).waitFor(); // not read yet
    await page.getByText("30 unread messages").waitFor();
    await assertAccessible(page, "the unread bar and divider");

    await log(page).evaluate((el) => (el.scrollTop = 0));
    await page.getByRole("button", { name: "Jump to first unread" }).click();
    await page.waitForTimeout(100);
    assert.equal(await inView(divider), true, "jumped back to the divider");

    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "# Lobby", exact: true }).waitFor();
    await page.getByText("30 unread messages").waitFor({ state: "detached" });
    assert.equal(await divider.count(), 1, "the divider stays where it was");
  },
);

Deno.test(
  "scrolled up, “New messages ↓” counts what arrived and never covers a message",
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
    await logBox.evaluate((el) => (el.scrollTop = 0));
    await b.say(1, "new one");
    await b.say(1, "new two");
    const button = alice.page.getByRole("button", { name: "2 new messages ↓" });
    await button.waitFor();
    const overlap = await button.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const logRect = document.querySelector(".log")!.getBoundingClientRect();
      return box.top < logRect.bottom && box.bottom > logRect.top;
    });
    assert.equal(overlap, false, "the button sits outside the log");
    await button.click();
    await button.waitFor({ state: "detached" });
  },
);

Deno.test(
  "messages sit under Today, Yesterday or their date, and show the time once per group",
  browserTest,
  async () => {
    await using server = await startTestServer();
    const { bob, carol } = await people(server, "bob", "carol");
    await using b = await openChat(server.origin, bob);
    await using c = await openChat(server.origin, carol);
    await b.say(1, "first from bob");
    await b.say(1, "second from bob");
    await b.say(1, "third from bob");
    await c.say(1, "carol here");
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const logBox = log(alice.page);
    await logBox.getByText("carol here").waitFor();
    assert.deepEqual(await logBox.locator(".day").allInnerTexts(), ["Today"]);
    const shownTimes = logBox.locator(".message .meta:not(.sr-only) time");
    assert.equal(await shownTimes.count(), 2, "one time for bob's three, one for carol's");
    assert.match(await shownTimes.first().innerText(), /^\d\d:\d\d$/);
    const full = await shownTimes.first().getAttribute("title");
    assert.match(full ?? "", /^\d{4}-\d\d-\d\d \d\d:\d\d$/, "the full date on hover");
    assert.match(
      (await logBox.locator(".message.grouped").first().getAttribute("title")) ?? "",
      /^\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );

    for (const [days, label] of [[1, /^Yesterday$/], [3, /^[A-Z][a-z]+day, /]] as const) {
      const { context, page } = await newPage(browser); // a reader days later
      await context.addCookies(await alice.context.cookies());
      await context.clock.setSystemTime(Date.now() + days * 86_400_000);
      await page.goto(server.origin);
      await waitLive(page);
      assert.match(await log(page).locator(".day").first().innerText(), label);
      await context.close();
    }
  },
);

Deno.test(
  "from the keyboard the log is one Tab stop, and ↑/↓/Home/End move between its messages, each showing and announcing its full date",
  browserTest,
  async () => {
    await using server = await startTestServer();
    const { bob, carol } = await people(server, "bob", "carol");
    await using b = await openChat(server.origin, bob);
    await using c = await openChat(server.origin, carol);
    await b.say(1, "first from bob");
    await b.say(1, "second from bob");
    await c.say(1, "carol here");
    await using browser = await launchBrowser();
    const { page } = await registerInBrowser(browser, server.origin, "alice");
    const logBox = log(page);
    await logBox.getByText("carol here").waitFor();

    // From the composer back into the log: past the senders' names, and no stop per message.
    await page.getByLabel("Message", { exact: true }).focus();
    const stops: string[] = [];
    while (stops.length < 6 && !(await logBox.evaluate((el) => el === document.activeElement))) {
      await page.keyboard.press("Shift+Tab");
      stops.push(await page.evaluate(() => document.activeElement!.className));
    }
    assert.deepEqual(stops, ["sender", "sender", "log"]);

    const focused = logBox.locator(".message:focus");
    const fullDate = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;
    const focusedIs = async (text: string) => {
      await focused.filter({ hasText: text }).waitFor({ timeout: 1_000 });
      const shown = logBox.locator(".stamp").filter({ visible: true });
      assert.equal(await shown.count(), 1, `one full date shows, ${text}'s`);
      assert.match(await focused.locator(".stamp").innerText(), fullDate);
      assert.match(await description(page, ".message:focus"), fullDate, "and is announced");
    };
    await page.keyboard.press("ArrowUp");
    await focusedIs("carol here");
    await page.keyboard.press("ArrowUp");
    await focusedIs("second from bob"); // grouped under bob's first: its date shows all the same
    await page.keyboard.press("Home");
    await focusedIs("first from bob");
    await page.keyboard.press("ArrowDown");
    await focusedIs("second from bob");
    await page.keyboard.press("End");
    await focusedIs("carol here");
    await assertAccessible(page, "a message focused from the keyboard");
  },
);

/** The description Chromium gives a screen reader for the element `selector` finds. */
async function description(page: Page, selector: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send("DOM.getDocument");
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  const { nodes } = await cdp.send("Accessibility.getPartialAXTree", {
    nodeId,
    fetchRelatives: false,
  });
  await cdp.detach();
  return String(nodes[0]?.description?.value ?? "");
}

Deno.test(
  "switching conversations right after scrolling raises no page error",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    const { bob } = await people(server, "bob");
    await using b = await openChat(server.origin, bob);
    for (let n = 1; n <= 60; n++) await b.say(1, `message number ${n}`);
    await using browser = await launchBrowser(); // closing it fails on any uncaught page error
    const alice = await registerInBrowser(browser, server.origin, "alice");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await alice.page.getByRole("button", { name: "bob", exact: true }).click();
    for (let round = 0; round < 5; round++) {
      await alice.page.getByRole("button", { name: /^# Lobby/ }).click();
      await log(alice.page).evaluate((el) => (el.scrollTop = 0));
      await alice.page.getByRole("button", { name: /^@ bob/ }).click();
    }
    await alice.page.waitForTimeout(300);
    assert.deepEqual(alice.errors, []);
  },
);

Deno.test("a message of one to three emoji is shown larger", browserTest, async () => {
  await using server = await startTestServer();
  const { bob } = await people(server, "bob");
  await using b = await openChat(server.origin, bob);
  await b.say(1, "🎉🎉");
  await b.say(1, "words 🎉");
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice");
  const size = (text: string) =>
    log(alice.page).locator(".text").getByText(text, { exact: true }).evaluate((el) =>
      parseFloat(getComputedStyle(el).fontSize)
    );
  await log(alice.page).getByText("words 🎉").waitFor();
  assert.ok((await size("🎉🎉")) >= 2 * (await size("words 🎉")), "at least twice as large");
});
