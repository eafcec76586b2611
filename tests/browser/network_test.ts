// The network in Chromium: the page says at once when the browser goes offline, and is live
// again as soon as it is back, without waiting for its backoff.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { log, registerInBrowser, waitLive } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "offline, the page says it is reconnecting; back online it is live at once, with what bob said meanwhile, though its clock stands still",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await using b = await bob.chat();
    await alice.context.clock.install(); // the page's timers from now on run on a clock we hold
    await alice.page.reload();
    await waitLive(alice.page);

    await alice.context.setOffline(true);
    await alice.page.getByText("Reconnecting…").waitFor({ timeout: 2_000 });
    await alice.page.waitForTimeout(3_000); // retries fail meanwhile, the backoff at its longest
    assert.equal(await alice.page.getByText("Reconnecting…").count(), 1, "still offline");
    // Time stops in the page: the backoff's next try never comes, only the online event can
    // bring the page back.
    await alice.page.clock.pauseAt(Date.now() + 1_000);
    await b.say(1, "said while alice was offline");

    await alice.context.setOffline(false);
    const back = Date.now();
    await waitLive(alice.page, 5_000);
    const tookMs = Date.now() - back;
    assert.ok(tookMs < 1_500, `live ${tookMs} ms after the network came back`);
    await alice.page.clock.resume();
    await log(alice.page).getByText("said while alice was offline").waitFor({ timeout: 2_000 });
    await alice.page.getByText("Reconnecting…").waitFor({ state: "detached" });
  },
);
