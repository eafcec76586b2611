import assert from "node:assert/strict";
import { LOBBY_ID } from "../../lib/wire.ts";
import { people } from "../helpers/people.ts";
import { startTestServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

Deno.test("the chat page's first paint holds the friends and the Lobby's latest messages, escaped", async () => {
  await using server = await startTestServer();
  const folks = await people(server, "alice", "bob");
  await folks.alice.befriend(folks.bob);
  await using b = await openChat(server.origin, folks.bob);
  await b.say(LOBBY_ID, "</script><!-- <b>hi</b>");
  const page = await (await folks.alice.get("/", { Accept: "text/html" })).text();
  const body = page.slice(0, page.indexOf('<script type="application/json"'));
  assert.match(body, /<ul class="friends" aria-label="Friends">.*>bob<\/button>.*>online</s);
  assert.match(body, /role="log"/);
  assert.match(
    body,
    /&lt;\/script>&lt;!-- &lt;b>hi&lt;\/b>/,
    "the message is in the HTML, as text",
  );
  assert.match(
    page,
    /<script type="module" src="\/static\/build\/islands\.js\?v=[0-9a-f]{12}"><\/script><\/body>/,
  );
  assert.equal(page.match(/<script/g)?.length, 2, "one props block and one module, nothing inline");
});

Deno.test("the chat page gives the client the server's heartbeat, so it lives in one setting", async () => {
  await using server = await startTestServer({ HEARTBEAT_S: "7" });
  const { alice } = await people(server, "alice");
  const page = await (await alice.get("/", { Accept: "text/html" })).text();
  assert.match(page, /"heartbeatMs":7000/);
});
