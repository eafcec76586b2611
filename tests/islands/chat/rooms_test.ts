// The rooms' plain functions: the member list's changes, notices, who may be invited or
// removed, and presence for friends only.
import assert from "node:assert/strict";
import {
  canManage,
  canRemove,
  invitable,
  leftNotice,
  memberPresence,
  withMemberChange,
} from "../../../islands/chat/rooms.ts";
import type { RoomMemberView } from "../../../lib/wire.ts";

const ROOM = 7;
const alice: RoomMemberView = { id: 1, username: "alice", role: "owner", joinedAt: 1 };
const bob: RoomMemberView = { id: 2, username: "bob", role: "admin", joinedAt: 2 };
const carol: RoomMemberView = { id: 3, username: "carol", role: "member", joinedAt: 3 };
const list = { conversationId: ROOM, members: [alice, bob] };

Deno.test("a member who joins goes last; one whose role changes keeps their place", () => {
  const joined = withMemberChange(list, {
    type: "room_member",
    conversationId: ROOM,
    change: "joined",
    member: carol,
  });
  assert.deepEqual(joined.members, [alice, bob, carol]);
  const demoted = withMemberChange(joined, {
    type: "room_member",
    conversationId: ROOM,
    change: "role",
    member: { ...bob, role: "member" },
  });
  assert.deepEqual(demoted.members, [alice, { ...bob, role: "member" }, carol]);
});

Deno.test("a member who leaves or is removed goes; a change in another room changes nothing", () => {
  for (const change of ["left", "removed"] as const) {
    const after = withMemberChange(list, {
      type: "room_member",
      conversationId: ROOM,
      change,
      member: bob,
    });
    assert.deepEqual(after.members, [alice]);
  }
  const elsewhere = withMemberChange(list, {
    type: "room_member",
    conversationId: ROOM + 1,
    change: "joined",
    member: carol,
  });
  assert.equal(elsewhere, list);
});

Deno.test("a removal and a deletion are told in words; leaving is not", () => {
  assert.equal(leftNotice("attic", "removed"), "You were removed from attic.");
  assert.equal(leftNotice("attic", "deleted"), "attic was deleted.");
  assert.equal(leftNotice("attic", "left"), null);
});

Deno.test("only friends not in the room yet can be invited", () => {
  const dave = { id: 4, username: "dave" };
  assert.deepEqual(invitable([{ id: 2, username: "bob" }, dave], [alice, bob]), [dave]);
});

Deno.test("presence shows for a friend, and for anyone else not at all (not even offline)", () => {
  const friends = [
    { id: 2, username: "bob", online: true, lastSeenAt: null },
    { id: 3, username: "carol", online: false, lastSeenAt: null },
  ];
  assert.equal(memberPresence(bob, friends, 0), "online");
  assert.equal(memberPresence(carol, friends, 0), "offline");
  assert.equal(memberPresence(alice, friends, 0), null);
  assert.equal(memberPresence(bob, friends, 0, false), "presence unknown", "cut off");
  assert.equal(memberPresence(alice, friends, 0, false), null);
});

Deno.test("the owner removes anyone, an admin plain members only, nobody themselves", () => {
  assert.equal(canRemove("owner", bob, alice.id), true);
  assert.equal(canRemove("admin", carol, bob.id), true);
  assert.equal(canRemove("admin", alice, bob.id), false);
  assert.equal(canRemove("admin", bob, bob.id), false);
  assert.equal(canRemove("member", carol, 9), false);
  assert.deepEqual([canManage("owner"), canManage("admin"), canManage("member")], [
    true,
    true,
    false,
  ]);
});
