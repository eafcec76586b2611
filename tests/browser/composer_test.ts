// The composer in Chromium: what is typed belongs to one conversation and is never lost.
import assert from "node:assert/strict";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import {
  befriendInBrowser,
  friendItem,
  log,
  registerInBrowser,
  waitLive,
} from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { LOBBY_ID, type MessageView } from "../../lib/wire.ts";

const composer = (page: import("playwright-core").Page) =>
  page.getByLabel("Message", { exact: true });

Deno.test(
  "a draft typed for bob does not appear in the Lobby, and each draft survives a reload",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");

    await composer(alice.page).fill("for the Lobby, later");
    await alice.page.getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    assert.equal(await composer(alice.page).inputValue(), "", "the DM starts empty");
    await composer(alice.page).fill("only for bob");
    await alice.page.getByRole("button", { name: /# Lobby/ }).click();
    await alice.page.getByRole("heading", { name: "# Lobby" }).waitFor();
    assert.equal(await composer(alice.page).inputValue(), "for the Lobby, later");

    await alice.page.reload();
    await waitLive(alice.page);
    assert.equal(await composer(alice.page).inputValue(), "for the Lobby, later");
    await alice.page.getByRole("button", { name: /@ bob/ }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    assert.equal(await composer(alice.page).inputValue(), "only for bob");

    await composer(alice.page).press("Enter"); // sent: the draft is gone, here and after a reload
    await bob.page.getByRole("button", { name: /@ alice/ }).click();
    await log(bob.page).getByText("only for bob").waitFor();
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    assert.equal(await composer(alice.page).inputValue(), "");
  },
);

Deno.test(
  "what alice sends right after clicking bob goes to bob, though the server takes a second to open their conversation, and never to the Lobby",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await using b = await bob.chat();
    await alice.page.route("**/api/conversations", async (route) => {
      await new Promise((wait) => setTimeout(wait, 1_000)); // a slow server opens the DM
      await route.continue();
    });

    await friendItem(alice.page, "bob").getByRole("button", { name: "bob", exact: true }).click();
    await composer(alice.page).fill("straight to bob");
    await composer(alice.page).press("Enter");
    const shownAtOnce = log(alice.page).filter({ hasText: "straight to bob" })
      .and(alice.page.getByRole("log", { name: "Messages in bob" }))
      .waitFor({ timeout: 500 }).then(() => true, () => false);
    const { message } = await b.waitFor((f) => f.type === "message") as { message: MessageView };
    assert.equal(message.text, "straight to bob");
    assert.notEqual(message.conversationId, LOBBY_ID, "to bob, not to the Lobby");
    assert.ok(await shownAtOnce, "on its way in bob's conversation before the server answered");
    await log(alice.page).locator(".message:not(.pending)").getByText("straight to bob").waitFor();

    const lobby = await (await bob.get(`/api/conversations/${LOBBY_ID}/messages`)).json();
    assert.deepEqual(lobby.messages, [], "nothing in the Lobby");
    await alice.page.getByRole("button", { name: /^# Lobby/ }).click();
    assert.equal(await composer(alice.page).inputValue(), "", "nor left in the Lobby's draft");
    assert.equal(await log(alice.page).getByText("straight to bob").count(), 0);
  },
);

Deno.test(
  "logging out forgets the drafts this account left in the browser",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    await composer(alice.page).fill("half a thought");
    await alice.page.getByRole("button", { name: "Log out" }).click();
    await alice.page.getByLabel("Username").waitFor();
    const left = await alice.page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(left.filter((k) => k.startsWith("ugochat:")), []);
  },
);

Deno.test(
  "bob typing shows for alice, goes when he sends, shows again when he types right after, then expires",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const typing = alice.page.getByText("bob is typing…");
    await composer(bob.page).pressSequentially("hello");
    await typing.waitFor();
    await composer(bob.page).press("Enter");
    await log(alice.page).getByText("hello").waitFor();
    await typing.waitFor({ state: "detached", timeout: 1_000 });

    await composer(bob.page).pressSequentially("and more");
    await typing.waitFor({ timeout: 3_000 });
    const stopped = Date.now();
    await typing.waitFor({ state: "detached", timeout: 7_000 });
    const goneAfterMs = Date.now() - stopped;
    assert.ok(goneAfterMs < 6_500, `gone ${goneAfterMs} ms after bob stopped`);
  },
);

Deno.test(
  "when bob clears what he typed, alice's “bob is typing…” goes within a second, and comes back when he types again",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const typing = alice.page.getByText("bob is typing…");
    await composer(bob.page).pressSequentially("never mind");
    await typing.waitFor();
    await composer(bob.page).fill("");
    await typing.waitFor({ state: "detached", timeout: 1_000 });
    await composer(bob.page).pressSequentially("actually");
    await typing.waitFor({ timeout: 1_000 });
  },
);

Deno.test(
  "the composer grows up to a third of the screen; near 4000 characters a counter shows, and over it Send is disabled and nothing is cut",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const { page } = await registerInBrowser(browser, server.origin, "alice", {
      width: 1000,
      height: 720,
    });
    const box = composer(page);
    const height = () => box.evaluate((el) => el.getBoundingClientRect().height);
    await box.fill("one line");
    const one = await height();
    await box.fill("1\n2\n3\n4\n5\n6");
    assert.ok((await height()) > one * 1.5, "six lines make it taller");
    await box.fill(Array.from({ length: 80 }, (_, i) => `line ${i}`).join("\n"));
    assert.ok((await height()) <= 720 / 3 + 1, "no taller than a third of the screen");
    assert.ok(await box.evaluate((el) => el.scrollHeight > el.clientHeight), "then it scrolls");

    await box.fill("a".repeat(3600));
    await page.getByText("400 characters left").waitFor();
    await box.fill("a".repeat(4010));
    await page.getByText("10 characters over the 4000-character limit").waitFor();
    assert.equal(await page.getByRole("button", { name: "Send", exact: true }).isDisabled(), true);
    await assertAccessible(page, "the composer over its limit");
    await box.press("Enter");
    assert.equal((await box.inputValue()).length, 4010, "nothing cut, nothing sent");
    assert.equal(await log(page).locator(".message").count(), 0);
  },
);
