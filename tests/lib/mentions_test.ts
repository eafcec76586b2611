// Mentions as sentences, on the in-process harness: `@name` and `@room`, who is mentioned,
// what they see live and after a reconnect, and how they are counted.
import assert from "node:assert/strict";
import { mentionAt, mentionsIn, mentionTokens } from "../../lib/mention_syntax.ts";
import { LOBBY_ID, type ServerFrame } from "../../lib/wire.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";

type Message = Extract<ServerFrame, { type: "message" }>;
const messageSaying = (text: string) => (f: ServerFrame) =>
  f.type === "message" && f.message.text === text;

/** alice owns a private room with her friends bob and carol in it. */
async function roomOfThree(h: Harness) {
  const people = await h.people("alice", "bob", "carol", "dave");
  const { alice, bob, carol } = people;
  await alice.befriend(bob);
  await alice.befriend(carol);
  const room = await alice.createRoom("the three of us");
  await alice.invite(room, bob);
  await alice.invite(room, carol);
  return { ...people, room };
}

Deno.test("the syntax: @name after a space or at the start, ending dots aside; never inside an address", () => {
  assert.deepEqual(
    mentionsIn("hi @Bob, and @carol. (@dave.-) me@example.org @@x").names.map((
      t,
    ) => [t.name, t.alternative]),
    [
      ["bob", undefined],
      ["carol.", "carol"],
      ["dave.-", "dave"],
    ],
  );
  assert.equal(mentionsIn("@room: dinner").room, true);
  assert.equal(mentionsIn("@roomy and my@room").room, false);
  assert.deepEqual(mentionTokens("a @bo").map((t) => [t.start, t.end]), [[2, 5]]);
  assert.deepEqual(mentionAt("hey @al", 7), { query: "al", start: 4 });
  assert.deepEqual(mentionAt("hey @", 5), { query: "", start: 4 });
  assert.equal(mentionAt("mail me@ex", 10), null);
  assert.deepEqual(mentionsIn("https://example.social/@bob x=@carol #@dave").names, []);
  assert.equal(mentionAt("@al ok", 6), null, "a space ends it");
});

Deno.test("@bob in a room marks the message for bob alone, live and on reconnect, and counts it until he reads", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, room } = await roomOfThree(h);
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  const ack = await a.say(room, "dinner at 8, @Bob?");
  assert.equal(ack.type, "ack");
  const toBob = await b.waitFor(messageSaying("dinner at 8, @Bob?")) as Message;
  const toCarol = await c.waitFor(messageSaying("dinner at 8, @Bob?")) as Message;
  const toAlice = await a.waitFor(messageSaying("dinner at 8, @Bob?")) as Message;
  assert.equal(toBob.message.mentioned, true);
  assert.equal(toCarol.message.mentioned, undefined);
  assert.equal(toAlice.message.mentioned, undefined);
  assert.equal(b.all("message").length, 1, "bob gets it once, not also from the room's topic");

  const view = (await bob.connect()).snapshot.conversations.find((v) => v.id === room)!;
  assert.equal(view.unread, 1);
  assert.equal(view.mentions, 1);
  assert.equal(view.latest?.mentioned, true);
  const carols = (await carol.connect()).snapshot.conversations.find((v) => v.id === room)!;
  assert.deepEqual([carols.unread, carols.mentions], [1, 0]);
  const [history] = await h.services.messages.history(bob.user, room, 1e15, 10);
  assert.equal(history.mentioned, true);

  const resumed = await bob.connect({ after: ack.type === "ack" ? ack.seq - 1 : 0 });
  const replayed = resumed.all("message").find((f) => f.message.text === "dinner at 8, @Bob?");
  assert.equal(replayed?.message.mentioned, true, "resume brings the mention too");

  const from = b.frames.length;
  b.write({ type: "read", conversationId: room, messageId: toBob.message.id });
  const read = await b.waitFor((f) => f.type === "read", from);
  assert.ok(read.type === "read");
  assert.deepEqual([read.unread, read.mentions], [0, 0]);
});

Deno.test("@room from the owner or an admin mentions every member but the sender; from a member it is refused, unsent", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, room } = await roomOfThree(h);
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  await a.say(room, "@room meeting now");
  for (const tab of [b, c]) {
    assert.equal(
      (await tab.waitFor(messageSaying("@room meeting now")) as Message).message.mentioned,
      true,
    );
  }
  assert.equal(
    (await a.waitFor(messageSaying("@room meeting now")) as Message).message.mentioned,
    undefined,
  );

  const refused = await c.say(room, "@room look at this");
  assert.ok(refused.type === "error");
  assert.equal(refused.code, "not_allowed");
  assert.match(refused.message, /owners and admins/);
  await b.settle();
  assert.ok(!b.frames.some(messageSaying("@room look at this")), "nothing was sent");

  await h.services.roomMembers.setRole(alice.user, room, carol.id, "admin");
  assert.equal((await c.say(room, "@room as an admin now")).type, "ack");
  assert.equal(
    (await b.waitFor(messageSaying("@room as an admin now")) as Message).message.mentioned,
    true,
  );
});

Deno.test("in the Lobby, @name mentions that user and @room is refused", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob", "carol");
  const [a, b] = [await alice.connect(), await bob.connect()];
  await a.say(LOBBY_ID, "welcome @bob");
  assert.equal((await b.waitFor(messageSaying("welcome @bob")) as Message).message.mentioned, true);
  const refused = await a.say(LOBBY_ID, "@room hello");
  assert.ok(refused.type === "error" && refused.code === "not_allowed");
  assert.match(refused.message, /Lobby/);
  assert.equal(b.snapshot.conversations[0].mentions, 0);
  assert.equal((await bob.connect()).snapshot.conversations[0].mentions, 1);
});

Deno.test("mentions across a block do nothing, either way, and @room skips the blocked", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, room } = await roomOfThree(h);
  await alice.block(bob); // bob stays in the room: alice hides his messages, he still sees hers
  const [a, b] = [await alice.connect(), await bob.connect()];
  await a.say(room, "@bob are you there");
  assert.equal(
    (await b.waitFor(messageSaying("@bob are you there")) as Message).message.mentioned,
    undefined,
  );
  await a.say(room, "@room all of you");
  const all = await b.waitFor(messageSaying("@room all of you")) as Message;
  assert.equal(all.message.mentioned, undefined, "nor by @room");
  await b.say(room, "@alice please");
  await a.settle();
  assert.ok(!a.frames.some(messageSaying("@alice please")));
  const views = async (who: typeof alice) =>
    (await who.connect()).snapshot.conversations.find((v) => v.id === room)!;
  assert.equal((await views(bob)).mentions, 0);
  assert.equal((await views(alice)).mentions, 0);
  assert.equal((await views(carol)).mentions, 1, "carol got the @room");
});

Deno.test("every tab gets a mentioning message exactly once, the sender's other tabs too", async () => {
  await using h = await startHarness();
  const { alice, bob, carol, room } = await roomOfThree(h);
  const tabs = {
    alice: [await alice.connect(), await alice.connect()],
    bob: [await bob.connect(), await bob.connect()],
    carol: [await carol.connect()],
  };
  for (const text of ["@room once", "@bob @carol both", "@bob alone"]) {
    await tabs.alice[0].say(room, text);
  }
  for (const [name, list] of Object.entries(tabs)) {
    for (const tab of list) {
      await tab.waitFor(messageSaying("@bob alone"));
      await tab.settle();
      const got = tab.all("message").map((f) => [f.message.text, f.message.mentioned ?? false]);
      const mentionedHere = (text: string) =>
        name === "bob" || (name === "carol" && text !== "@bob alone");
      assert.deepEqual(
        got,
        ["@room once", "@bob @carol both", "@bob alone"].map((t) => [
          t,
          name !== "alice" && mentionedHere(t),
        ]),
        `${name}'s tab: each message once, marked for them alone`,
      );
    }
  }
});

Deno.test("an @ inside a web address mentions nobody, and @room there is no @room", async () => {
  await using h = await startHarness();
  const { bob, carol, room } = await roomOfThree(h);
  const c = await carol.connect();
  const ack = await c.say(room, "see https://example.social/@room and https://example.social/@bob");
  assert.equal(ack.type, "ack", "a plain member may post the link");
  assert.equal(await h.services.store.reads.mentionCount(bob.id, room, 0, 100), 0);
});

Deno.test("in the Lobby a mention across a block does nothing, either way", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.block(bob);
  const [a, b] = [await alice.connect(), await bob.connect()];
  await a.say(LOBBY_ID, "@bob hello?");
  assert.equal(
    (await b.waitFor(messageSaying("@bob hello?")) as Message).message.mentioned,
    undefined,
  );
  await b.say(LOBBY_ID, "@alice hi");
  await a.settle();
  assert.ok(!a.frames.some(messageSaying("@alice hi")), "alice does not see bob at all");
  assert.equal((await bob.connect()).snapshot.conversations[0].mentions, 0);
  assert.equal((await alice.connect()).snapshot.conversations[0].mentions, 0);
});

Deno.test("someone outside a room is not mentioned by a message in it", async () => {
  await using h = await startHarness();
  const { alice, dave, room } = await roomOfThree(h);
  const [a, d] = [await alice.connect(), await dave.connect()];
  assert.equal((await a.say(room, "@dave would like this")).type, "ack");
  await d.settle();
  assert.equal(d.all("message").length, 0);
  assert.equal(await h.services.store.reads.mentionCount(dave.id, room, 0, 100), 0);
});

Deno.test("in a direct conversation, @friend marks it for the friend; @room is just text there", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  await alice.befriend(bob);
  const direct = await alice.directWith(bob);
  const [a, b] = [await alice.connect(), await bob.connect()];
  await a.say(direct, "@bob hi");
  assert.equal((await b.waitFor(messageSaying("@bob hi")) as Message).message.mentioned, true);
  assert.equal((await a.say(direct, "@room is for rooms")).type, "ack");
  assert.equal(
    (await b.waitFor(messageSaying("@room is for rooms")) as Message).message.mentioned,
    undefined,
  );
});
