// Room members: joining, leaving, invitations, roles and removals. Membership is the
// authorisation: a room you are not in is not found, and what you may do in it depends on your
// role. "You joined / left" goes on the user's topic (every socket of theirs starts or stops
// receiving the room at once, on every process); what the others should see, on the room's.
import type { BlockList } from "./blocks.ts";
import type { Conversations } from "./conversations.ts";
import { AppError } from "./errors.ts";
import type { Friendships } from "./friendships.ts";
import type { Limiters } from "./limits.ts";
import type { Presence } from "./presence.ts";
import type { Events } from "./realtime/broker.ts";
import type { RoomCaps, RoomMember, RoomRole, RoomRow, Store, User } from "./store/types.ts";
import { normalizeUsername } from "./usernames.ts";
import { type FriendView, LOBBY_ID, type RoomMemberView, type ServerFrame } from "./wire.ts";

type MemberChange = Extract<ServerFrame, { type: "room_member" }>["change"];
type Grantable = Exclude<RoomRole, "owner">;

export const roomNotFound = () => new AppError(404, "not_found", "No such room.");
export const notAllowed = (message: string) => new AppError(403, "not_allowed", message);
const noSuchMember = () => new AppError(404, "not_found", "No such member.");

/** Presence only for friends: for anyone else none at all, not "offline". */
function toMemberView(member: RoomMember, seen?: FriendView): RoomMemberView {
  const { id, username, role, joinedAt } = member;
  if (!seen) return { id, username, role, joinedAt };
  return {
    id,
    username,
    role,
    joinedAt,
    presence: { online: seen.online, lastSeenAt: seen.lastSeenAt },
  };
}

export function createRoomMembers(deps: {
  store: Store;
  events: Events;
  blocks: BlockList;
  conversations: Pick<Conversations, "view">;
  friendships: Pick<Friendships, "areFriends">;
  presence: Pick<Presence, "views">;
  limiters: Limiters;
  caps: Required<RoomCaps>;
  changesPerMin: number;
}) {
  const { store, events, blocks, conversations, friendships, presence, caps } = deps;
  const changes = deps.limiters("rooms.changes", { limit: deps.changesPerMin, windowMs: 60_000 });

  /** The room and the user's place in it; a room they are not in is not found. */
  async function lookup(user: User, id: number): Promise<{ room: RoomRow; me: RoomMember }> {
    const [room, me] = await Promise.all([store.rooms.find(id), store.rooms.member(id, user.id)]);
    if (!room || !me) throw roomNotFound();
    return { room, me };
  }

  /** The user is in the room now: every socket of theirs receives it from this frame on. */
  async function joined(user: User, room: RoomRow, role: RoomRole): Promise<void> {
    const { id, name, topic, visibility } = room;
    const row = { id, kind: "room" as const, with: null, room: { name, topic, visibility, role } };
    const conversation = await conversations.view(user.id, row);
    events.membership(user.id, id, true, { type: "room_joined", conversation });
  }

  function changed(id: number, change: MemberChange, member: RoomMember) {
    const frame: ServerFrame = {
      type: "room_member",
      conversationId: id,
      change,
      member: toMemberView(member),
    };
    events.toConversation(id, frame);
  }

  /** Gone, by their own will or not: they stop receiving the room at once, the others learn it. */
  async function departed(id: number, member: RoomMember, reason: "left" | "removed") {
    const departure = await store.rooms.leave(id, member.id);
    if (!departure.left) return;
    events.membership(member.id, id, false, { type: "room_left", conversationId: id, reason });
    if (departure.deleted) return;
    changed(id, reason, member);
    if (departure.newOwner) changed(id, "role", departure.newOwner);
  }

  /** Adds a member within the limits, or says which one stands in the way. */
  async function admit(room: RoomRow, user: User, invited: boolean): Promise<RoomMember> {
    const added = await store.rooms.add(room.id, user.id, "member", Date.now(), caps);
    if (added === "no_room") throw roomNotFound();
    if (added === "already_member") {
      throw new AppError(409, "already_member", `${user.username} is already in this room.`);
    }
    if (added === "room_full") {
      const message = `This room is full: it holds ${caps.membersPerRoom} members.`;
      throw new AppError(409, "room_full", message);
    }
    if (added === "too_many_rooms") {
      const who = invited ? `${user.username} is` : "You are";
      const message = `${who} in ${caps.roomsPerUser} rooms, the most one person may.`;
      throw new AppError(409, "too_many_rooms", message);
    }
    const member = (await store.rooms.member(room.id, user.id))!;
    await joined(user, room, "member");
    changed(room.id, "joined", member);
    return member;
  }

  async function presenceOf(viewer: User, ids: Set<number>): Promise<Map<number, FriendView>> {
    const friends = (await store.friends.friendsOf(viewer.id)).filter((f) => ids.has(f.id));
    return new Map((await presence.views(friends)).map((view) => [view.id, view]));
  }

  /** Room changes reach every member: each user may make a few a minute. */
  async function paced(user: User): Promise<void> {
    const wait = await changes.take(String(user.id));
    if (!wait) return;
    throw new AppError(429, "rate_limited", `Slow down: try again in ${wait} s.`, undefined, {
      "Retry-After": String(wait),
    });
  }

  return {
    lookup,
    joined,
    paced,

    /** Anyone joins a public room (joining one you are in changes nothing); returns the role. */
    async join(user: User, id: number): Promise<RoomRole> {
      const [room, me] = await Promise.all([store.rooms.find(id), store.rooms.member(id, user.id)]);
      if (!room || (!me && room.visibility !== "public")) throw roomNotFound();
      if (me) return me.role;
      await paced(user);
      return (await admit(room, user, false)).role;
    },

    /** The user leaves (the owner hands over); the Lobby cannot be left. */
    async leave(user: User, id: number): Promise<void> {
      if (id === LOBBY_ID) throw notAllowed("Everyone is in the Lobby: it cannot be left.");
      const { me } = await lookup(user, id);
      await paced(user);
      await departed(id, me, "left");
    },

    /** The members in the order they joined, with presence for the viewer's friends only. */
    async list(user: User, id: number): Promise<RoomMemberView[]> {
      await lookup(user, id);
      const members = await store.rooms.members(id);
      const seen = await presenceOf(user, new Set(members.map((m) => m.id)));
      return members.map((member) => toMemberView(member, seen.get(member.id)));
    },

    /**
     * A member invites a friend: into a public room any member may, into a private one the
     * owner and admins. Never across a block, either way.
     */
    async invite(user: User, id: number, username: string): Promise<RoomMemberView> {
      const { room, me } = await lookup(user, id);
      if (room.visibility === "private" && me.role === "member") {
        throw notAllowed("Only the owner and admins invite people to a private room.");
      }
      const found = await store.users.findByName(normalizeUsername(username));
      if (!found) throw new AppError(404, "no_such_user", `There is no user called ${username}.`);
      const invitee = { id: found.id, username: found.username };
      if (blocks.between(user.id, invitee.id)) {
        throw new AppError(403, "blocked", `You cannot invite ${invitee.username}.`);
      }
      if (invitee.id !== user.id && !(await friendships.areFriends(user.id, invitee.id))) {
        const message = `Only friends can be invited, and ${invitee.username} is not yours.`;
        throw new AppError(403, "not_friends", message);
      }
      await paced(user);
      const member = await admit(room, invitee, true);
      return toMemberView(member, (await presenceOf(user, new Set([invitee.id]))).get(invitee.id));
    },

    /** The owner makes a member an admin, or an admin a member again. */
    async setRole(user: User, id: number, memberId: number, role: Grantable) {
      const { me } = await lookup(user, id);
      if (me.role !== "owner") throw notAllowed("Only the owner makes and unmakes admins.");
      if (memberId === user.id) throw notAllowed("The owner stays owner until they leave.");
      await paced(user);
      if (!(await store.rooms.setRole(id, memberId, role))) throw noSuchMember();
      const member = (await store.rooms.member(id, memberId))!;
      changed(id, "role", member);
      const seen = await presenceOf(user, new Set([memberId]));
      return toMemberView(member, seen.get(memberId));
    },

    /**
     * The owner removes anyone, an admin plain members; removing yourself is leaving. The
     * removed stop receiving the room at once, on every tab and process.
     */
    async remove(user: User, id: number, memberId: number): Promise<void> {
      const { me } = await lookup(user, id);
      const target = await store.rooms.member(id, memberId);
      if (!target) throw noSuchMember();
      if (target.id !== me.id) {
        if (me.role === "member") throw notAllowed("Only the owner and admins remove members.");
        if (me.role === "admin" && target.role !== "member") {
          throw notAllowed("Admins remove plain members only.");
        }
      }
      await paced(user);
      await departed(id, target, target.id === me.id ? "left" : "removed");
    },
  };
}

export type RoomMembers = ReturnType<typeof createRoomMembers>;
