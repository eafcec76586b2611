// Rooms on the page, as plain data: the sidebar's list, the open member list kept up to date
// by room_member frames, who may be invited, and what a member's presence reads as.
import type {
  ConversationView,
  FriendView,
  RoomMemberView,
  RoomRole,
  ServerFrame,
  UserView,
} from "../../lib/wire.ts";
import { presenceText } from "../../components/friends/FriendList.tsx";

export type RoomMemberFrame = Extract<ServerFrame, { type: "room_member" }>;
export type RoomLeftFrame = Extract<ServerFrame, { type: "room_left" }>;

/** The member list of one room, as the panel shows it. */
export type MemberList = { conversationId: number; members: RoomMemberView[] };

/** A change someone made to a room's membership, applied to the list the panel holds. */
export function withMemberChange(list: MemberList, frame: RoomMemberFrame): MemberList {
  if (frame.conversationId !== list.conversationId) return list;
  const others = list.members.filter((m) => m.id !== frame.member.id);
  if (frame.change === "left" || frame.change === "removed") return { ...list, members: others };
  const at = list.members.findIndex((m) => m.id === frame.member.id);
  const members = at < 0 ? [...others, frame.member] : list.members.with(at, frame.member);
  return { ...list, members };
}

/** What a member who lost a room is told; leaving it themselves needs no telling. */
export function leftNotice(name: string, reason: RoomLeftFrame["reason"]): string | null {
  if (reason === "removed") return `You were removed from ${name}.`;
  if (reason === "deleted") return `${name} was deleted.`;
  return null;
}

/** Friends who could be invited: those not in the room yet. */
export function invitable(friends: UserView[], members: RoomMemberView[]): UserView[] {
  const inRoom = new Set(members.map((m) => m.id));
  return friends.filter((f) => !inRoom.has(f.id));
}

/**
 * A member's presence as text, only for a friend (for anyone else, nothing at all: presence is
 * for friends only). The snapshot's friends are live, so they win over the list's answer; with
 * the connection lost, what was last seen may be stale, and it says so.
 */
export function memberPresence(
  member: UserView,
  friends: FriendView[],
  now: number | null,
  live = true,
): string | null {
  const friend = friends.find((f) => f.id === member.id);
  if (!friend) return null;
  return live ? presenceText(friend, now) : "presence unknown"; // cut off, it may be stale
}

/** Renaming, the topic and inviting into a private room are for the owner and admins. */
export const canManage = (role: RoomRole | undefined) => role === "owner" || role === "admin";

/** Whether `me` (with `myRole`) may remove `member`: the owner anyone, admins plain members. */
export function canRemove(myRole: RoomRole | undefined, member: RoomMemberView, meId: number) {
  if (member.id === meId) return false; // that is leaving, from the room's menu
  return myRole === "owner" || (myRole === "admin" && member.role === "member");
}

export const ROLE_LABEL: Record<RoomRole, string> = {
  owner: "owner",
  admin: "admin",
  member: "member",
};

export const isRoom = (c: ConversationView) => c.kind === "room";
