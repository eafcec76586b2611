// Honest states in Chromium: loading says loading, and a server out of reach says so.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import {
  addFriend,
  befriendInBrowser,
  friendItem,
  log,
  registerInBrowser,
  waitLive,
} from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { spawnServer, startTestServer } from "../helpers/server.ts";
import { openDirect } from "../helpers/socket.ts";

Deno.test(
  "a loading conversation never says it is empty, and loading older history says so at the top",
  browserTest,
  async () => {
    await using server = await startTestServer({ MESSAGES_PER_10S: "1000" });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
    await alice.page.getByRole("button", { name: "Accept bob" }).click();
    await friendItem(alice.page, "bob").waitFor(); // accepted: bob may open the DM now
    await using b = await bob.chat();
    const dm = await openDirect(bob, "alice");
    for (let n = 1; n <= 60; n++) await b.say(dm, `dm ${n}`);

    // A slow network: each page of history waits until the test lets one more through.
    let allowed = 0;
    let asked = 0;
    const release = () => allowed++;
    await alice.page.route("**/api/conversations/*/messages*", async (route) => {
      const turn = asked++;
      while (allowed <= turn) await new Promise((wait) => setTimeout(wait, 20));
      await route.continue();
    });
    await alice.page.getByRole("button", { name: /^@ bob/ }).click();
    await log(alice.page).getByText("Loading messages…").waitFor();
    assert.equal(await alice.page.getByText("No messages yet").count(), 0);
    release();
    await log(alice.page).getByText("dm 60", { exact: true }).waitFor();
    assert.equal(await alice.page.getByText("Loading messages…").count(), 0);

    await log(alice.page).evaluate((el) => (el.scrollTop = 0));
    await log(alice.page).getByText("Loading older messages…").waitFor();
    release();
    await log(alice.page).getByText("dm 1", { exact: true }).waitFor();
    await log(alice.page).getByText("Loading older messages…").waitFor({ state: "detached" });
  },
);

Deno.test(
  "while the server is down presence is unknown and actions say so; the page is back within seconds",
  browserTest,
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "ugochat-browser-down-" });
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = String((probe.addr as Deno.NetAddr).port);
    probe.close();
    const first = await spawnServer({ PORT: port }, { dataDir });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, first.origin, "alice");
    const bob = await registerInBrowser(browser, first.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");

    await first.stop("SIGTERM");
    await alice.page.getByText("Reconnecting…").waitFor();
    await friendItem(alice.page, "bob").getByText("presence unknown").waitFor();
    assert.equal(await friendItem(alice.page, "bob").locator(".dot.online").count(), 0);
    await addFriend(alice.page, "carol");
    await alice.page.getByText(/Could not reach the server/).waitFor();

    await alice.page.waitForTimeout(6_000); // long enough for a backoff to have grown
    await using _second = await spawnServer({ PORT: port }, { dataDir });
    const back = Date.now();
    await waitLive(alice.page);
    const tookMs = Date.now() - back;
    assert.ok(tookMs < 4_000, `reconnected ${tookMs} ms after the server was back`);
    await friendItem(alice.page, "bob").getByText("online").waitFor();
  },
);
