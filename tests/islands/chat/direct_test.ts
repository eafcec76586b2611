// Stand-in ids for direct conversations the server has not named yet.
import assert from "node:assert/strict";
import {
  friendOf,
  isStandIn,
  movePending,
  standInId,
  standInsOf,
} from "../../../islands/chat/direct.ts";
import type { PendingMessage } from "../../../islands/chat/state.ts";
import { LOBBY_ID } from "../../../lib/wire.ts";

const pending = (clientId: string, conversationId: number): PendingMessage => ({
  clientId,
  conversationId,
  text: clientId,
  status: "sending",
});

Deno.test("a stand-in id is never a real one, and names its friend", () => {
  assert.equal(isStandIn(standInId(7)), true);
  assert.equal(isStandIn(LOBBY_ID), false);
  assert.equal(friendOf(standInId(7)), 7);
});

Deno.test("once named, a stand-in's messages move to the conversation, in place, and no other", () => {
  const list = [pending("a", standInId(7)), pending("b", LOBBY_ID), pending("c", standInId(7))];
  const moved = movePending(list, standInId(7), 42);
  assert.deepEqual(moved.map((p) => [p.clientId, p.conversationId]), [
    ["a", 42],
    ["b", LOBBY_ID],
    ["c", 42],
  ]);
  assert.equal(movePending(list, standInId(9), 43), list, "nothing to move: the same list");
});

Deno.test("the stand-ins messages wait on are listed once each", () => {
  const list = [pending("a", standInId(7)), pending("b", LOBBY_ID), pending("c", standInId(7))];
  assert.deepEqual(standInsOf(list), [standInId(7)]);
});
