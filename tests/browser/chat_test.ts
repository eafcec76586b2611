// The chat page in Chromium, with several people in separate browser contexts.
import assert from "node:assert/strict";
import { browserTest, launchBrowser, newPage, screenshot } from "../helpers/browser.ts";
import {
  addFriend,
  befriendInBrowser,
  friendItem,
  log,
  registerInBrowser,
  say,
  waitLive,
} from "../helpers/chat_page.ts";
import { spawnServer, startTestServer } from "../helpers/server.ts";

Deno.test(
  "alice and bob register, befriend through Add friend, and see each other online",
  browserTest,
  async () => {
    await using server = await startTestServer({ PRESENCE_GRACE_MS: "500" });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");

    const addFriend = alice.page.getByLabel("Add friend");
    await addFriend.fill("nobody-here");
    await addFriend.press("Enter");
    await alice.page.getByText("There is no user called nobody-here.").waitFor();
    await addFriend.fill("bob");
    await addFriend.press("Enter");
    await alice.page.getByText("Request sent to bob.").waitFor();
    await alice.page.getByText("Waiting for bob").waitFor();
    await bob.page.getByText("alice wants to be friends").waitFor();
    await screenshot(bob.page, "friend-request");
    await bob.page.getByRole("button", { name: "Accept alice" }).click();

    await friendItem(alice.page, "bob").getByText("online").waitFor();
    await friendItem(bob.page, "alice").getByText("online").waitFor();
    await addFriend.fill("bob");
    await addFriend.press("Enter");
    await alice.page.getByText("You and bob are already friends.").waitFor();
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  },
);

Deno.test(
  "Lobby messages reach everyone, direct messages only the two, and HTML stays text",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const carol = await registerInBrowser(browser, server.origin, "carol");
    await befriendInBrowser(alice, "alice", bob, "bob");

    const hostile = `<img src=x onerror="alert('xss')"> </script><script>alert(1)</script> & done`;
    await say(alice.page, hostile);
    for (const person of [alice, bob, carol]) {
      await log(person.page).getByText(hostile, { exact: true }).waitFor();
      assert.equal(
        await log(person.page).locator("img, script").count(),
        0,
        "no element was injected",
      );
    }
    await say(bob.page, "line one\nline two https://example.com/page.");
    const link = log(carol.page).getByRole("link", { name: "https://example.com/page" });
    await link.waitFor();
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    assert.equal(
      await log(carol.page).locator(".message").last().locator(".text").innerText(),
      "line one\nline two https://example.com/page.",
    );

    await alice.page.getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    await say(alice.page, "just between us");
    await bob.page.getByRole("button", { name: /@ bob|@ alice/ }).waitFor();
    await bob.page.getByRole("button", { name: /@ alice/ }).click();
    await log(bob.page).getByText("just between us").waitFor();
    await bob.page.waitForTimeout(300);
    assert.equal(await carol.page.getByText("just between us").count(), 0);
    assert.equal(await log(alice.page).locator(".message.mine").count(), 1);
    const mine = await log(alice.page).locator(".message.mine").first().evaluate((el) =>
      getComputedStyle(el).backgroundColor
    );
    const theirs = await log(bob.page).locator(".message.theirs").first().evaluate((el) =>
      getComputedStyle(el).backgroundColor
    );
    assert.equal(mine, "rgb(219, 234, 254)", "sent messages are light blue");
    assert.equal(theirs, "rgb(220, 252, 231)", "received messages are light green");
    await screenshot(alice.page, "direct-message");
    assert.deepEqual(
      [...alice.errors, ...bob.errors, ...carol.errors],
      [],
      "no dialog, no page error",
    );
  },
);

Deno.test(
  "when bob closes his browser, alice sees him go offline within 15 s",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    await bob.context.close();
    await friendItem(alice.page, "bob").getByText(/last seen|offline/).waitFor({ timeout: 15_000 });
    assert.equal(
      await friendItem(alice.page, "bob").locator(".dot.online").count(),
      0,
      "the dot is no longer green",
    );
  },
);

Deno.test(
  "a reload keeps both conversations' history, and unread badges are right after it",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");

    await say(alice.page, "lobby hello");
    await alice.page.getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    await say(alice.page, "dm one");
    await say(alice.page, "dm two");
    await log(alice.page).getByText("dm two").waitFor();
    await log(bob.page).getByText("lobby hello").waitFor();
    await bob.page.getByRole("button", { name: /@ alice.*2 unread/ }).waitFor();

    await bob.page.reload();
    await waitLive(bob.page);
    await log(bob.page).getByText("lobby hello").waitFor();
    await bob.page.getByRole("button", { name: /@ alice.*2 unread/ }).waitFor();
    await screenshot(bob.page, "unread-badge");
    await bob.page.getByRole("button", { name: /@ alice/ }).click();
    await log(bob.page).getByText("dm one").waitFor();
    await log(bob.page).getByText("dm two").waitFor();
    await bob.page.getByRole("button", { name: /@ alice$/ }).waitFor(); // read: the badge is gone

    await alice.page.reload();
    await waitLive(alice.page);
    await log(alice.page).getByText("dm two").waitFor(); // the open conversation is kept
    await alice.page.getByRole("button", { name: /Lobby/ }).click();
    await log(alice.page).getByText("lobby hello").waitFor();
  },
);

Deno.test(
  "the server restarts mid-conversation: the page reconnects by itself, nothing lost or doubled",
  browserTest,
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "ugochat-browser-restart-" });
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = String((probe.addr as Deno.NetAddr).port);
    probe.close();
    const first = await spawnServer({ PORT: port }, { dataDir });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, first.origin, "alice");
    const bob = await registerInBrowser(browser, first.origin, "bob");
    await say(alice.page, "before the restart");
    await log(bob.page).getByText("before the restart").waitFor();

    await first.stop("SIGTERM");
    await alice.page.getByText("Reconnecting…").waitFor();
    await say(alice.page, "sent while down");
    await log(alice.page).getByText("sending…").waitFor();
    await screenshot(alice.page, "reconnecting");
    await using _second = await spawnServer({ PORT: port }, { dataDir });
    await waitLive(alice.page, 20_000);
    await waitLive(bob.page, 20_000);
    await log(bob.page).getByText("sent while down").waitFor();
    await say(bob.page, "after the restart");
    await log(alice.page).getByText("after the restart").waitFor();
    assert.equal(await alice.page.getByText("Reconnecting…").count(), 0);
    for (const person of [alice, bob]) {
      const texts = await log(person.page).locator(".message .text").allInnerTexts();
      assert.deepEqual(texts, ["before the restart", "sent while down", "after the restart"]);
    }
  },
);

Deno.test("the chat page passes an automated accessibility check", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice");
  const bob = await registerInBrowser(browser, server.origin, "bob");
  await addFriend(bob.page, "alice");
  await say(bob.page, "hi alice, see https://example.com");
  await log(alice.page).getByText("hi alice").waitFor();
  const axeSource = await Deno.readTextFile(
    new URL(import.meta.resolve("axe-core")).pathname.replace(/axe\.js$/, "axe.min.js"),
  );
  for (const scheme of ["light", "dark"] as const) {
    const { page } = await newPage(browser, {
      bypassCSP: true,
      colorScheme: scheme,
      viewport: { width: 1100, height: 720 },
    });
    await page.context().addCookies(await alice.context.cookies());
    await page.goto(`${server.origin}/`);
    await waitLive(page);
    await page.evaluate(axeSource);
    const results = await page.evaluate(() =>
      // deno-lint-ignore no-explicit-any
      (globalThis as any).axe.run(document, { resultTypes: ["violations"] })
    ) as { violations: { id: string; impact: string; nodes: { html: string }[] }[] };
    const serious = results.violations.filter((v) =>
      v.impact === "serious" || v.impact === "critical"
    );
    assert.deepEqual(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`),
      [],
      `${scheme} theme`,
    );
  }
});

Deno.test(
  "everything works from the keyboard: Tab to the composer, Enter sends, Shift+Enter breaks the line",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.focus();
    await alice.page.keyboard.press("Enter");
    assert.equal(
      await log(alice.page).locator(".message").count(),
      0,
      "an empty message does not send",
    );
    await alice.page.keyboard.type("first line");
    await alice.page.keyboard.press("Shift+Enter");
    await alice.page.keyboard.type("second line");
    await alice.page.keyboard.press("Enter");
    await log(alice.page).locator(".message .text").filter({ hasText: "second line" }).waitFor();
    assert.equal(
      await log(alice.page).locator(".message .text").innerText(),
      "first line\nsecond line",
    );
    assert.equal(await box.inputValue(), "");
    // Tab reaches the Send button from the composer, and focus is visible.
    await box.focus();
    await alice.page.keyboard.press("Tab");
    assert.equal(await alice.page.evaluate(() => document.activeElement?.textContent), "Send");
    const outline = await alice.page.evaluate(() =>
      getComputedStyle(document.activeElement!).outlineStyle
    );
    assert.notEqual(outline, "none");
  },
);

Deno.test("at phone width the friends panel is a drawer", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice", {
    width: 390,
    height: 760,
  });
  const drawerToggle = alice.page.getByRole("button", { name: "Friends", exact: true });
  assert.equal(await alice.page.getByLabel("Add friend").isVisible(), true, "present in the page");
  assert.equal(
    await alice.page.locator("#sidebar").evaluate((el) => el.getBoundingClientRect().right <= 0),
    true,
    "off screen",
  );
  await drawerToggle.click();
  await alice.page.waitForTimeout(300);
  assert.equal(
    await alice.page.locator("#sidebar").evaluate((el) => el.getBoundingClientRect().left >= 0),
    true,
    "slid in",
  );
  await screenshot(alice.page, "phone-drawer");
  await alice.page.keyboard.press("Escape");
  await alice.page.waitForTimeout(300);
  assert.equal(
    await alice.page.locator("#sidebar").evaluate((el) => el.getBoundingClientRect().right <= 0),
    true,
    "Escape closes it",
  );
});

Deno.test("two tabs of one user stay in sync: sends, reads and friends", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice");
  const tab2 = await alice.context.newPage();
  await tab2.goto(`${server.origin}/`);
  await waitLive(tab2);
  const bob = await registerInBrowser(browser, server.origin, "bob");

  await say(alice.page, "from tab one");
  await log(tab2).getByText("from tab one").waitFor();
  assert.equal(
    await log(tab2).locator(".message.mine").count(),
    1,
    "shown as alice's own in the other tab",
  );

  await addFriend(bob.page, "alice");
  await alice.page.getByText("bob wants to be friends").waitFor();
  await tab2.getByRole("button", { name: "Accept bob" }).click();
  await friendItem(alice.page, "bob").waitFor();

  await bob.page.getByRole("button", { name: "alice", exact: true }).click();
  await bob.page.getByRole("heading", { name: "@ alice" }).waitFor();
  await say(bob.page, "ping alice");
  await alice.page.getByRole("button", { name: /@ bob.*1 unread/ }).waitFor();
  await tab2.getByRole("button", { name: /@ bob.*1 unread/ }).waitFor();
  await tab2.getByRole("button", { name: /@ bob/ }).click();
  await log(tab2).getByText("ping alice").waitFor();
  await alice.page.getByRole("button", { name: /@ bob$/ }).waitFor(); // read in one tab, read in both
});

Deno.test(
  "scrolled up, new messages show a button instead of moving; older history loads at the top without a jump",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    const { people } = await import("../helpers/people.ts");
    const { openChat } = await import("../helpers/socket.ts");
    const { bob } = await people(server, "bob");
    await using b = await openChat(server.origin, bob);
    for (let n = 1; n <= 80; n++) await b.say(1, `message number ${n}`);
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice", {
      width: 1000,
      height: 600,
    });
    const logBox = log(alice.page);
    await logBox.getByText("message number 80", { exact: true }).waitFor();
    const atBottom = () =>
      logBox.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5);
    assert.equal(await atBottom(), true, "opened at the newest message");
    assert.equal(
      await logBox.getByText("message number 30", { exact: true }).count(),
      0,
      "only the latest 50 at first",
    );

    await logBox.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await b.say(1, "a new one");
    await alice.page.getByRole("button", { name: "1 new message ↓" }).waitFor();
    assert.equal(await atBottom(), false, "the reader's place is kept");
    await alice.page.getByRole("button", { name: "1 new message ↓" }).click();
    assert.equal(await atBottom(), true);

    const anchor = logBox.getByText("message number 31", { exact: true });
    await logBox.evaluate((el) => (el.scrollTop = 0));
    await logBox.getByText("message number 30", { exact: true }).waitFor();
    await alice.page.waitForTimeout(200);
    const top = await anchor.evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(
      top > 0,
      `the message that was at the top stays in view, not pushed away by older ones (${top})`,
    );
  },
);
