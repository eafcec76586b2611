import assert from "node:assert/strict";
import { unreadBadge } from "../../../components/friends/ConversationList.tsx";
import { UNREAD_CAP } from "../../../lib/wire.ts";

Deno.test("an unread count shows as is below the server's cap, and as 'at least' from it", () => {
  assert.equal(unreadBadge(1), "1");
  assert.equal(unreadBadge(UNREAD_CAP - 1), "999");
  assert.equal(unreadBadge(UNREAD_CAP), "1000+");
  assert.equal(unreadBadge(UNREAD_CAP + 5), "1000+", "live messages can count past the cap");
});
