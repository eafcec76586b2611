// The outbox in Chromium: a message typed is stored exactly once, whatever happens on the way.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertAccessible } from "../helpers/axe.ts";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { friendItem, log, registerInBrowser, say, waitLive } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";

const stored = (page: Page) => log(page).locator(".message:not(.pending) .text").allInnerTexts();

Deno.test(
  "a send whose answer was lost survives a reload and is stored once when re-sent",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    // The network loses everything the server says about this one message to alice.
    let losing = true;
    const lost = new Set<string>();
    await alice.page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      const toServer = ws.connectToServer();
      ws.onMessage((frame) => {
        const sent = JSON.parse(String(frame));
        if (sent.text === "lost on the way back") lost.add(sent.clientId);
        toServer.send(frame);
      });
      toServer.onMessage((frame) => {
        const { clientId, message } = JSON.parse(String(frame));
        const about = clientId ?? message?.clientId;
        if (!(losing && lost.has(about))) ws.send(frame);
      });
    });
    await alice.page.reload();
    await waitLive(alice.page);
    await say(alice.page, "lost on the way back");
    await log(bob.page).getByText("lost on the way back").waitFor(); // the server stored it
    await log(alice.page).getByText("sending…").waitFor();

    losing = false;
    await alice.page.reload();
    await waitLive(alice.page);
    await log(alice.page).locator(".message.pending").waitFor({ state: "detached" });
    assert.deepEqual(await stored(alice.page), ["lost on the way back"]);
    await bob.page.reload();
    await waitLive(bob.page);
    assert.deepEqual(await stored(bob.page), ["lost on the way back"], "stored once");
  },
);

Deno.test(
  "sends refused as too fast wait, survive a reload, and all go out by themselves, once, in order",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "3" });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const texts = ["one", "two", "three", "four", "five", "six"];
    for (const text of texts) await say(alice.page, text);
    await log(alice.page).getByText("waiting to send…").first().waitFor();
    assert.equal(await alice.page.getByRole("button", { name: /retry/i }).count(), 0);

    await alice.page.reload();
    await waitLive(alice.page);
    await log(alice.page).locator(".message.pending").first().waitFor({
      state: "detached",
      timeout: 25_000,
    });
    assert.deepEqual(await stored(alice.page), texts);
    await alice.page.reload();
    await waitLive(alice.page);
    assert.deepEqual(await stored(alice.page), texts, "each stored once");
  },
);

Deno.test(
  "messages the server refused offer one Retry all and one Discard",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await friendItem(alice.page, "bob").getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    await (await bob.request("DELETE", "/api/friends/alice")).body?.cancel();
    await friendItem(alice.page, "bob").waitFor({ state: "detached" });

    await say(alice.page, "are you there?");
    await say(alice.page, "hello?");
    const bar = alice.page.getByRole("alert").filter({ hasText: "2 messages were not sent" });
    await bar.waitFor();
    assert.equal(await log(alice.page).getByText("not sent").count(), 2);
    await assertAccessible(alice.page, "the failed bar");

    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await friendItem(alice.page, "bob").waitFor();
    await alice.page.getByRole("button", { name: "Retry all" }).click();
    await bar.waitFor({ state: "detached" });
    await log(alice.page).locator(".message.pending").first().waitFor({ state: "detached" });
    assert.deepEqual(await stored(alice.page), ["are you there?", "hello?"]);

    await (await bob.request("DELETE", "/api/friends/alice")).body?.cancel();
    await friendItem(alice.page, "bob").waitFor({ state: "detached" });
    await say(alice.page, "never mind");
    await alice.page.getByRole("alert").filter({ hasText: "1 message was not sent" }).waitFor();
    await alice.page.getByRole("button", { name: "Discard" }).click();
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    assert.equal(await log(alice.page).getByText("never mind").count(), 0, "discarded for good");
  },
);

Deno.test(
  "sent to bob before the server had opened their conversation, a message survives a reload and reaches bob's conversation once",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    let answering = false; // until then, opening the conversation never gets an answer
    await alice.page.route("**/api/conversations", (route) => answering && route.continue());

    await friendItem(alice.page, "bob").getByRole("button", { name: "bob", exact: true }).click();
    await log(alice.page).getByText("Opening the conversation…").waitFor();
    await say(alice.page, "before the answer");
    await log(alice.page).getByText("sending…").waitFor();
    answering = true;
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByRole("button", { name: /^@ bob/ }).click();
    await log(alice.page).locator(".message:not(.pending)").getByText("before the answer")
      .waitFor();
    await alice.page.reload();
    await waitLive(alice.page);
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    assert.deepEqual(await stored(alice.page), ["before the answer"], "stored once");
  },
);

Deno.test(
  "when bob's conversation cannot be opened, the page says why, and Retry all sends what was typed once it can",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    let blocked: Promise<unknown> | undefined;
    await alice.page.route("**/api/conversations", async (route) => {
      // bob blocks alice while her page is opening their conversation
      blocked ??= bob.post("/api/blocks", { username: "alice" }).then((r) => r.body?.cancel());
      await blocked;
      await route.continue();
    });

    await friendItem(alice.page, "bob").getByRole("button", { name: "bob", exact: true }).click();
    await alice.page.getByText("The conversation could not be opened: You cannot message bob.")
      .waitFor();
    await say(alice.page, "hello bob");
    await alice.page.getByRole("alert").filter({
      hasText: "1 message was not sent: You cannot message bob.",
    }).waitFor();
    await alice.page.getByText("could not be opened").waitFor({ state: "detached" }); // said once
    await alice.page.getByRole("heading", { name: "@ bob" }).waitFor();
    await assertAccessible(alice.page, "a conversation that could not be opened");

    await (await bob.request("DELETE", "/api/blocks/alice")).body?.cancel();
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await friendItem(alice.page, "bob").waitFor();
    await alice.page.getByRole("button", { name: "Retry all" }).click();
    await log(alice.page).locator(".message:not(.pending)").getByText("hello bob").waitFor();
    assert.deepEqual(await stored(alice.page), ["hello bob"]);
  },
);
