// The socket's pure parts: where the resume cursor goes, the address, the backoff.
import assert from "node:assert/strict";
import { advanceCursor, retryDelayMs, socketUrl } from "../../../islands/chat/socket.ts";
import { LOBBY_ID, type Snapshot } from "../../../lib/wire.ts";

const bob = { id: 2, username: "bob" };
const message = (id: number) => ({
  id,
  seq: id,
  conversationId: LOBBY_ID,
  sender: bob,
  text: "hi",
  at: id,
  clientId: `c${id}`,
});

Deno.test("the cursor starts at the newest message the first snapshot shows", () => {
  const snapshot = {
    me: { id: 1, username: "alice", appearOffline: false, sendReceipts: true },
    conversations: [
      {
        id: LOBBY_ID,
        kind: "lobby",
        with: null,
        lastReadId: 0,
        unread: 0,
        mentions: 0,
        latest: message(8),
      },
      {
        id: 5,
        kind: "direct",
        with: bob,
        lastReadId: 0,
        unread: 0,
        mentions: 0,
        latest: message(12),
      },
      { id: 6, kind: "direct", with: bob, lastReadId: 0, unread: 0, mentions: 0, latest: null },
    ],
    friends: [],
    incoming: [],
    outgoing: [],
    blocked: [],
  } satisfies Snapshot;
  assert.equal(advanceCursor(0, { type: "snapshot", snapshot }), 12);
});

Deno.test("messages and caught_up move the cursor forward and never back; an ack does not move it", () => {
  let cursor = advanceCursor(0, { type: "message", message: message(9) });
  const ack = { type: "ack", clientId: "x", id: 12, seq: 12, at: 9, conversationId: 1 } as const;
  assert.equal(advanceCursor(cursor, ack), 9, "an ack may overtake an earlier change");
  cursor = advanceCursor(cursor, ack);
  assert.equal(advanceCursor(cursor, { type: "message", message: message(3) }), 9);
  assert.equal(advanceCursor(cursor, { type: "caught_up", seq: 20 }), 20);
  assert.equal(advanceCursor(cursor, { type: "typing", conversationId: 1, user: bob }), 9);
});

Deno.test("the socket resumes after the cursor (0 too), over wss on an https page", () => {
  assert.equal(
    socketUrl({ protocol: "http:", host: "localhost:8000" }, 0),
    "ws://localhost:8000/ws?after=0",
    "a message posted between the page and the socket is not lost",
  );
  assert.equal(
    socketUrl({ protocol: "https:", host: "chat.example.com" }, 42),
    "wss://chat.example.com/ws?after=42",
  );
});

Deno.test("reconnects back off from 0.5 s, doubling up to 2 s, with a quarter's jitter", () => {
  assert.deepEqual([0, 1, 2, 5, 6, 30].map((n) => retryDelayMs(n, 0.5)), [
    500,
    1000,
    2000,
    2000,
    2000,
    2000,
  ]);
  assert.equal(retryDelayMs(0, 0), 375);
  assert.equal(retryDelayMs(0, 1), 625);
});
