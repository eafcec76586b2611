// The chat page's state without a browser: frames in, signals and effects out.
import assert from "node:assert/strict";
import {
  ackedMessage,
  createChatState,
  expireTyping,
  failPending,
  mergeById,
  type PendingMessage,
  retryPending,
  startTyping,
  stillSending,
  stopTyping,
  typingNames,
  withLoadedMessage,
  withoutPending,
} from "../../../islands/chat/state.ts";
import { readToSend } from "../../../islands/chat/unread.ts";
import {
  LOBBY_ID,
  type MessageView,
  type Snapshot,
  TYPING_SHOWN_MS,
  type UserView,
} from "../../../lib/wire.ts";

const alice: UserView = { id: 1, username: "alice" };
const bob: UserView = { id: 2, username: "bob" };
const DM = 7;

function message(id: number, sender = bob, conversationId = LOBBY_ID): MessageView {
  return {
    id,
    seq: id,
    conversationId,
    sender,
    text: `message ${id}`,
    at: 1_000 * id,
    clientId: `c${id}`,
  };
}

function pending(clientId: string, status: PendingMessage["status"] = "sending"): PendingMessage {
  return { clientId, conversationId: LOBBY_ID, text: ` hi ${clientId} `, status };
}

function alicesSnapshot(): Snapshot {
  return {
    me: { ...alice, appearOffline: false, sendReceipts: true },
    conversations: [
      {
        id: LOBBY_ID,
        kind: "lobby",
        with: null,
        lastReadId: 3,
        unread: 0,
        mentions: 0,
        latest: message(3),
      },
      { id: DM, kind: "direct", with: bob, lastReadId: 0, unread: 0, mentions: 0, latest: null },
    ],
    friends: [{ ...bob, online: true, lastSeenAt: null }],
    incoming: [],
    outgoing: [],
    blocked: [],
  };
}

/** Alice's page with the Lobby open and its first three messages loaded, at time `clock.now`. */
function alicesPage() {
  const clock = { now: 50_000 };
  const state = createChatState(() => clock.now);
  state.absorbSnapshot(alicesSnapshot());
  state.absorbConversation({
    me: alice,
    activeId: LOBBY_ID,
    messages: [message(1), message(2), message(3)],
    hasMore: false,
  });
  return { state, clock };
}

const ids = (list: MessageView[] | undefined) => list?.map((m) => m.id);
const lobby = (state: ReturnType<typeof createChatState>) =>
  state.snapshot.value!.conversations.find((c) => c.id === LOBBY_ID)!;

// ---- merging messages ----

Deno.test("merging messages keeps each id once, in id order, the newer copy winning", () => {
  const edited = { ...message(2), text: "again" };
  const merged = mergeById([message(1), message(2), message(4)], [message(3), edited]);
  assert.deepEqual(ids(merged), [1, 2, 3, 4]);
  assert.equal(merged[1].text, "again");
});

Deno.test("a live message joins a loaded conversation and is ignored for one not loaded", () => {
  const loaded = new Map([[LOBBY_ID, [message(1)]]]);
  assert.deepEqual(ids(withLoadedMessage(loaded, message(2)).get(LOBBY_ID)), [1, 2]);
  const dm = message(3, bob, DM);
  assert.equal(withLoadedMessage(loaded, dm), loaded, "the DM's history brings it when opened");
});

Deno.test("a message frame appears in its conversation's log once, however often it comes", () => {
  const { state } = alicesPage();
  state.apply({ type: "message", message: message(4) });
  state.apply({ type: "message", message: message(4) });
  assert.deepEqual(ids(state.messages.value.get(LOBBY_ID)), [1, 2, 3, 4]);
});

// ---- pending, ack and error ----

Deno.test("an ack turns our pending send into a stored message from us, text trimmed", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a"), pending("b")];
  state.apply({ type: "ack", clientId: "a", id: 9, seq: 9, at: 9_000, conversationId: LOBBY_ID });
  assert.deepEqual(state.pending.value.map((p) => p.clientId), ["b"]);
  const stored = state.messages.value.get(LOBBY_ID)!.at(-1)!;
  assert.deepEqual(stored, {
    id: 9,
    seq: 9,
    conversationId: LOBBY_ID,
    sender: alice,
    text: "hi a",
    at: 9_000,
    clientId: "a",
  });
});

Deno.test("what is acknowledged or arrives while a conversation's first page loads is not lost when the page was read before it", () => {
  const { state } = alicesPage();
  assert.ok(!state.messages.value.has(DM), "the DM is not loaded yet");
  state.firstLoads.set(DM, []); // its first page is on its way (the store marks it so)
  state.pending.value = [{ ...pending("a"), conversationId: DM }];
  state.apply({ type: "ack", clientId: "a", id: 20, seq: 20, at: 20_000, conversationId: DM });
  state.apply({ type: "message", message: message(21, bob, DM) });
  state.setHistory(DM, [message(5, bob, DM)], false); // read before the two above
  assert.deepEqual(ids(state.messages.value.get(DM)), [5, 20, 21]);
  assert.ok(!state.firstLoads.has(DM), "the first load is over");
});

Deno.test("an ack for a send this page did not make changes nothing", () => {
  const ack = {
    type: "ack",
    clientId: "other-tab",
    id: 9,
    seq: 9,
    at: 9,
    conversationId: 1,
  } as const;
  assert.equal(ackedMessage([pending("a")], ack, alice), null);
});

Deno.test("our own message arriving from another tab clears the matching pending send", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a")];
  state.apply({ type: "message", message: { ...message(5, alice), clientId: "a" } });
  assert.deepEqual(state.pending.value, []);
});

Deno.test("an error frame marks its send failed with the server's words; retry sends it again", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a"), pending("b")];
  state.apply({ type: "error", code: "not_friends", message: "Not friends.", clientId: "a" });
  assert.deepEqual(state.pending.value.map((p) => [p.status, p.error]), [
    ["failed", "Not friends."],
    ["sending", undefined],
  ]);
  const again = retryPending(state.pending.value, "a");
  assert.deepEqual(again.map((p) => p.status), ["sending", "sending"]);
  assert.equal(again[0].error, undefined);
});

Deno.test("a send refused for going too fast waits, and the store is told to pace", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a"), pending("b")];
  const effects = state.apply({
    type: "error",
    code: "rate_limited",
    message: "Slow down: try again in 8 s.",
    clientId: "b",
  });
  assert.deepEqual(state.pending.value.map((p) => p.status), ["sending", "waiting"]);
  assert.deepEqual(effects, [{ type: "pace" }]);
  const told = state.apply({
    type: "error",
    code: "rate_limited",
    message: "Slow down: try again in 8 s.",
    clientId: "a",
    retryAfterS: 8,
  });
  assert.deepEqual(told, [{ type: "pace", afterMs: 8000 }], "as long as the server asked");
});

Deno.test("an error frame without a clientId leaves every pending send as it was", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a")];
  const before = state.pending.value;
  state.apply({ type: "error", code: "invalid_frame", message: "What?" });
  assert.equal(state.pending.value, before);
});

Deno.test("catching up resends what is still sending, not what failed, then marks read", () => {
  const { state } = alicesPage();
  state.pending.value = [pending("a"), pending("b", "failed"), pending("c")];
  const effects = state.apply({ type: "caught_up", seq: 3 });
  assert.deepEqual(effects.map((e) => (e.type === "send" ? e.pending.clientId : e.type)), [
    "a",
    "c",
    "drain",
    "mark_read",
  ]);
});

Deno.test("pending helpers return the same list when nothing matches", () => {
  const list = [pending("a")];
  assert.equal(withoutPending(list, "zzz"), list);
  assert.deepEqual(failPending(list, "zzz", "no"), list);
  assert.deepEqual(stillSending([pending("x", "failed")]), []);
});

// ---- resync ----

Deno.test("a resync forgets loaded history and asks to reload the open conversation", () => {
  const { state } = alicesPage();
  state.activeId.value = DM;
  const effects = state.apply({ type: "resync" });
  assert.equal(state.messages.value.size, 0);
  assert.deepEqual(effects, [{ type: "load_history", conversationId: DM }]);
});

// ---- typing ----

Deno.test("someone typing shows for TYPING_SHOWN_MS, then expires", () => {
  const { state, clock } = alicesPage();
  const effects = state.apply({ type: "typing", conversationId: LOBBY_ID, user: bob });
  assert.deepEqual(typingNames(state.typing.value, LOBBY_ID), ["bob"]);
  assert.equal(effects[0].type, "expire_typing");
  clock.now += TYPING_SHOWN_MS - 1;
  state.expireTyping();
  assert.deepEqual(typingNames(state.typing.value, LOBBY_ID), ["bob"], "not yet");
  clock.now += 1;
  state.expireTyping();
  assert.deepEqual(typingNames(state.typing.value, LOBBY_ID), []);
});

Deno.test("a repeated typing frame keeps the indicator past the first one's expiry", () => {
  let typing = startTyping(new Map(), LOBBY_ID, "bob", 0);
  typing = startTyping(typing, LOBBY_ID, "bob", 2_000);
  assert.deepEqual(typingNames(expireTyping(typing, TYPING_SHOWN_MS), LOBBY_ID), ["bob"]);
  assert.deepEqual(typingNames(expireTyping(typing, 2_000 + TYPING_SHOWN_MS), LOBBY_ID), []);
});

Deno.test("a message from someone who was typing clears their indicator at once", () => {
  const { state } = alicesPage();
  state.apply({ type: "typing", conversationId: LOBBY_ID, user: bob });
  state.apply({ type: "typing", conversationId: LOBBY_ID, user: { id: 3, username: "carol" } });
  state.apply({ type: "message", message: message(4, bob) });
  assert.deepEqual(typingNames(state.typing.value, LOBBY_ID), ["carol"]);
});

Deno.test("typing in one conversation is not shown in another", () => {
  const typing = startTyping(new Map(), DM, "bob", 0);
  assert.deepEqual(typingNames(typing, LOBBY_ID), []);
  assert.equal(stopTyping(typing, LOBBY_ID, "bob"), typing);
});

// ---- unread and read receipts ----

Deno.test("a message from someone else counts as unread; one of ours does not", () => {
  const { state } = alicesPage();
  state.apply({ type: "message", message: message(4, bob) });
  assert.equal(lobby(state).unread, 1);
  state.apply({ type: "message", message: message(5, alice) });
  assert.equal(lobby(state).unread, 1);
  assert.equal(lobby(state).latest?.id, 5);
});

Deno.test("a new message asks for a read receipt for the open conversation's latest", () => {
  const { state } = alicesPage();
  assert.deepEqual(state.apply({ type: "message", message: message(4) }), [{ type: "mark_read" }]);
  assert.deepEqual(readToSend(state.snapshot.value, LOBBY_ID), {
    type: "read",
    conversationId: LOBBY_ID,
    messageId: 4,
  });
});

Deno.test("no read receipt for a conversation read up to its latest, or with no messages", () => {
  const snapshot = alicesSnapshot();
  assert.equal(readToSend(snapshot, LOBBY_ID), null);
  assert.equal(readToSend(snapshot, DM), null);
  assert.equal(readToSend(null, LOBBY_ID), null);
});

Deno.test("a read frame from another tab sets the conversation's unread count", () => {
  const { state } = alicesPage();
  state.apply({ type: "message", message: message(4) });
  state.apply({ type: "read", conversationId: LOBBY_ID, lastReadId: 4, unread: 0, mentions: 0 });
  assert.equal(lobby(state).unread, 0);
  assert.equal(readToSend(state.snapshot.value, LOBBY_ID), null);
});

// ---- the rest goes through applyEvent ----

Deno.test("friends, presence and status frames update the snapshot as applyEvent says", () => {
  const { state } = alicesPage();
  state.apply({ type: "presence", userId: bob.id, online: false, lastSeenAt: 42 });
  assert.deepEqual(state.snapshot.value!.friends, [{ ...bob, online: false, lastSeenAt: 42 }]);
  state.apply({ type: "status", appearOffline: true });
  assert.equal(state.snapshot.value!.me.appearOffline, true);
  state.apply({
    type: "friends",
    friends: { friends: [], incoming: [bob], outgoing: [], blocked: [] },
  });
  assert.deepEqual(state.snapshot.value!.incoming, [bob]);
  assert.deepEqual(state.apply({ type: "pong" }), []);
});

// ---- rooms ----

const ROOM = 9;
const watercooler = {
  id: ROOM,
  kind: "room" as const,
  with: null,
  room: { name: "watercooler", topic: "", visibility: "private" as const, role: "member" as const },
  lastReadId: 0,
  unread: 0,
  mentions: 0,
  latest: null,
};
const roomOf = (state: ReturnType<typeof createChatState>) =>
  state.snapshot.value!.conversations.find((c) => c.id === ROOM);

Deno.test("joining a room adds it and loads its latest history, which may hold messages that came first", () => {
  const { state } = alicesPage();
  const effects = state.apply({ type: "room_joined", conversation: watercooler });
  assert.deepEqual(roomOf(state), watercooler);
  assert.deepEqual(effects, [{ type: "load_history", conversationId: ROOM }]);
});

Deno.test("a room's new name, topic and the reader's own new role show in the snapshot", () => {
  const { state } = alicesPage();
  state.apply({ type: "room_joined", conversation: watercooler });
  state.apply({ type: "room_updated", conversationId: ROOM, name: "kitchen", topic: "tea" });
  const member = { ...alice, role: "admin" as const, joinedAt: 1 };
  state.apply({ type: "room_member", conversationId: ROOM, change: "role", member });
  state.apply({
    type: "room_member",
    conversationId: ROOM,
    change: "role",
    member: { ...bob, role: "owner", joinedAt: 1 },
  });
  assert.deepEqual(roomOf(state)?.room, {
    name: "kitchen",
    topic: "tea",
    visibility: "private",
    role: "admin",
  });
});

Deno.test("a room left goes from the snapshot and its messages; the open one gives way to the Lobby", () => {
  const { state } = alicesPage();
  state.apply({ type: "room_joined", conversation: watercooler });
  state.setHistory(ROOM, [message(5, bob, ROOM)], false);
  state.activeId.value = ROOM;
  state.apply({ type: "room_left", conversationId: ROOM, reason: "removed" });
  assert.equal(roomOf(state), undefined);
  assert.equal(state.messages.value.has(ROOM), false);
  assert.equal(state.activeId.value, LOBBY_ID);
  state.apply({ type: "conversation", conversation: watercooler });
  assert.equal(roomOf(state), undefined, "a late view of a room left does not bring it back");
});

Deno.test("a removed or deleted room leaves a word naming it; one left closes what was open for it", () => {
  const { state } = alicesPage();
  state.apply({ type: "room_joined", conversation: watercooler });
  state.apply({ type: "room_left", conversationId: ROOM, reason: "removed" });
  assert.equal(state.notice.value, "You were removed from watercooler.");
  state.notice.value = null;
  state.apply({ type: "room_joined", conversation: watercooler });
  state.activeId.value = ROOM;
  state.dialog.value = "rename_room";
  state.membersOpen.value = true;
  state.apply({ type: "room_left", conversationId: ROOM, reason: "left" });
  assert.equal(state.notice.value, null);
  assert.equal(state.dialog.value, null, "its rename dialog closes");
  assert.equal(state.membersOpen.value, false, "and its members panel");
});

Deno.test("the open member list follows who joins, changes role and leaves; a room left drops it", () => {
  const { state } = alicesPage();
  state.apply({ type: "room_joined", conversation: watercooler });
  const a = { ...alice, role: "owner" as const, joinedAt: 1 };
  state.members.value = { conversationId: ROOM, members: [a] };
  const b = { ...bob, role: "member" as const, joinedAt: 2 };
  state.apply({ type: "room_member", conversationId: ROOM, change: "joined", member: b });
  state.apply({
    type: "room_member",
    conversationId: ROOM,
    change: "role",
    member: { ...b, role: "admin" },
  });
  assert.deepEqual(state.members.value.members, [a, { ...b, role: "admin" }]);
  state.apply({ type: "room_left", conversationId: ROOM, reason: "deleted" });
  assert.equal(state.members.value, null);
});
