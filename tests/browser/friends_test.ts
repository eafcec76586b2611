// Friend actions in Chromium: when one fails, the page says so where the person is looking.
import assert from "node:assert/strict";
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { befriendInBrowser, friendItem, registerInBrowser } from "../helpers/chat_page.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { waitUntil } from "../helpers/wait.ts";

Deno.test(
  "accepting a request that alice cancelled meanwhile shows bob why it failed",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const { alice } = await people(server, "alice");
    await (await alice.post("/api/friends/requests", { username: "bob" })).body?.cancel();
    await bob.page.getByText("alice wants to be friends").waitFor();

    // Alice changes her mind in the moment between bob's click and his request arriving.
    await bob.page.route("**/api/friends/requests/alice/accept", async (route) => {
      await (await alice.request("DELETE", "/api/friends/requests/bob")).body?.cancel();
      await route.continue();
    });
    await bob.page.getByRole("button", { name: "Accept alice" }).click();

    await bob.page.getByRole("alert").filter({
      hasText: "Accept alice failed: alice has not asked to be your friend.",
    }).waitFor();
    assert.equal(await bob.page.getByText("alice wants to be friends").count(), 0, "row gone");
    assert.deepEqual(bob.errors, []);
  },
);

Deno.test(
  "declining while the network is down says so, and the request stays to try again",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const bob = await registerInBrowser(browser, server.origin, "bob");
    const { alice } = await people(server, "alice");
    await (await alice.post("/api/friends/requests", { username: "bob" })).body?.cancel();
    await bob.page.getByText("alice wants to be friends").waitFor();

    await bob.page.route("**/api/friends/requests/alice/decline", (route) => route.abort());
    await bob.page.getByRole("button", { name: "Decline alice" }).click();
    await bob.page.getByRole("alert").filter({ hasText: /Decline alice failed: Could not reach/ })
      .waitFor();

    await bob.page.unroute("**/api/friends/requests/alice/decline");
    await bob.page.getByRole("button", { name: "Decline alice" }).click();
    await bob.page.getByText("alice wants to be friends").waitFor({ state: "detached" });
    // The socket may take the request away before the answer to the click arrives: the alert
    // clears with that answer.
    let alert = "";
    await waitUntil(
      async () => (alert = await bob.page.locator("#friends-alert").innerText()) === "",
      {
        what: "success to clear the alert",
        seen: () => alert,
        everyMs: 50,
      },
    );
  },
);

Deno.test(
  "an online friend's dot is green, an offline one's grey with “last seen”, never red",
  browserTest,
  async () => {
    await using server = await startTestServer({ PRESENCE_GRACE_MS: "200" });
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const bob = await registerInBrowser(browser, server.origin, "bob");
    await befriendInBrowser(alice, "alice", bob, "bob");
    const dot = friendItem(alice.page, "bob").locator(".dot");
    const colour = () => dot.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(await colour(), "rgb(21, 128, 61)", "green");
    await bob.context.close();
    await friendItem(alice.page, "bob").getByText(/^last seen /).waitFor({ timeout: 15_000 });
    assert.equal(await colour(), "rgb(107, 114, 128)", "grey");
  },
);

Deno.test(
  "Add friend has a visible button, and its message goes once bob answers",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { bob } = await people(server, "bob");
    await alice.page.getByLabel("Add friend").fill("bob");
    await alice.page.getByRole("button", { name: "Send request" }).click();
    await alice.page.getByText("Request sent to bob.").waitFor();
    await alice.page.getByLabel("Add friend").fill("bob");
    await alice.page.getByRole("button", { name: "Send request" }).click();
    await alice.page.getByText("You already asked bob.").waitFor();

    await (await bob.post("/api/friends/requests/alice/accept")).body?.cancel();
    await friendItem(alice.page, "bob").waitFor();
    await alice.page.getByText("You already asked bob.").waitFor({ state: "detached" });
    assert.equal(await alice.page.locator("#add-friend-feedback").innerText(), "");
  },
);

Deno.test("unblocking says what happens to the former friendship", browserTest, async () => {
  await using server = await startTestServer();
  await using browser = await launchBrowser();
  const alice = await registerInBrowser(browser, server.origin, "alice");
  const { bob } = await people(server, "bob");
  await (await bob.post("/api/friends/requests", { username: "alice" })).body?.cancel();
  await alice.page.getByRole("button", { name: "Accept bob" }).click();
  await friendItem(alice.page, "bob").waitFor();
  await (await alice.page.request.post(`${server.origin}/api/blocks`, {
    data: { username: "bob" },
    headers: { Origin: server.origin },
  })).dispose();
  await alice.page.getByRole("button", { name: "Unblock bob" }).click();
  const question = alice.page.getByRole("group", { name: "Unblock bob?" });
  await question.getByText("unblocking does not bring it back").waitFor();
  await question.getByRole("button", { name: "Yes, unblock bob" }).click();
  await alice.page.getByRole("list", { name: "Blocked users" }).waitFor({ state: "detached" });
  assert.equal(await friendItem(alice.page, "bob").count(), 0, "not friends again by itself");
});
