// A page told to resync while live (events were lost between servers) starts over: a fresh
// snapshot and everything after the last point it knew was complete.
import { browserTest, launchBrowser } from "../helpers/browser.ts";
import { log, registerInBrowser, waitLive } from "../helpers/chat_page.ts";
import { startTestServer } from "../helpers/server.ts";

Deno.test(
  "a resync while live brings back what the page missed: a friend request and a message it never heard of",
  browserTest,
  async () => {
    await using server = await startTestServer();
    await using browser = await launchBrowser();
    const alice = await registerInBrowser(browser, server.origin, "alice");
    const { store } = server.services;
    const bob = (await store.users.create("bob", "not a real hash", Date.now()))!;
    const me = (await store.users.findByName("alice"))!;
    // Changes whose events never reach alice's page, as if lost on the way between servers.
    await store.friends.request(bob.id, me.id, Date.now());
    await store.messages.insert({
      conversationId: 1,
      senderId: bob.id,
      senderName: "bob",
      clientId: crypto.randomUUID(),
      text: "said while the servers were apart",
      at: Date.now(),
    });
    server.services.hub.resync();
    await alice.page.getByText("bob wants to be friends").waitFor({ timeout: 5_000 });
    await log(alice.page).getByText("said while the servers were apart").waitFor();
    await waitLive(alice.page);
  },
);
