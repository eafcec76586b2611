// Rooms: group conversations beside the Lobby and direct messages, private (members are
// invited) or public (listed in a directory, anyone joins). The creator owns a room; the owner
// and admins run it. Who is in it, and what members may do, is lib/room_members.ts.
import { AppError } from "./errors.ts";
import type { Events } from "./realtime/broker.ts";
import { notAllowed, type RoomMembers, roomNotFound } from "./room_members.ts";
import { checkRoomName, checkTopic } from "./room_names.ts";
import type { RoomCaps, RoomRole, RoomRow, Store, User } from "./store/types.ts";
import type { RoomView, RoomVisibility } from "./wire.ts";

export type RoomInput = { name: string; topic?: string; visibility: RoomVisibility };
export type RoomChanges = { name?: string; topic?: string };

/** Rooms the directory shows at most, however many match. */
export const DIRECTORY_MAX = 50;

export function createRooms(deps: {
  store: Store;
  events: Events;
  members: Pick<RoomMembers, "lookup" | "joined" | "paced">;
  caps: Required<RoomCaps>;
}) {
  const { store, events, members, caps } = deps;

  async function roomView(room: RoomRow, role: RoomRole | null): Promise<RoomView> {
    const { id, name, topic, visibility } = room;
    return { id, name, topic, visibility, memberCount: await store.rooms.countMembers(id), role };
  }

  return {
    /** The user creates a room and owns it; their sockets learn it at once. */
    async create(user: User, input: RoomInput): Promise<RoomView> {
      const name = checkRoomName(input.name);
      const topic = checkTopic(input.topic ?? "");
      await members.paced(user);
      const room = { name, topic, visibility: input.visibility, createdBy: user.id };
      const made = await store.rooms.create(room, Date.now(), caps);
      if (made === "too_many_created") {
        const message =
          `You have created ${caps.createdPerUser} rooms, the most one person may: delete one first.`;
        throw new AppError(409, "too_many_rooms_created", message);
      }
      if (made === "too_many_rooms") {
        const message =
          `You are in ${caps.roomsPerUser} rooms, the most one person may: leave one first.`;
        throw new AppError(409, "too_many_rooms", message);
      }
      await members.joined(user, made, "owner");
      return roomView(made, "owner");
    },

    /** A room the user is in, or a public one they may join; any other is not found. */
    async find(user: User, id: number): Promise<RoomView> {
      const [room, me] = await Promise.all([store.rooms.find(id), store.rooms.member(id, user.id)]);
      if (!room || (!me && room.visibility !== "public")) throw roomNotFound();
      return roomView(room, me?.role ?? null);
    },

    /** Public rooms whose name or topic holds the query, the fullest first, with your role. */
    async directory(user: User, query: string): Promise<RoomView[]> {
      const [found, mine] = await Promise.all([
        store.rooms.listPublic(query.trim(), DIRECTORY_MAX),
        store.conversations.listFor(user.id),
      ]);
      const roles = new Map(mine.map((c) => [c.id, c.room?.role ?? null]));
      return found.map(({ id, name, topic, visibility, memberCount }) => ({
        id,
        name,
        topic,
        visibility,
        memberCount,
        role: roles.get(id) ?? null,
      }));
    },

    /** The owner or an admin renames the room or changes its topic; every member sees it. */
    async update(user: User, id: number, input: RoomChanges): Promise<RoomView> {
      const { me } = await members.lookup(user, id);
      if (me.role === "member") {
        throw notAllowed("Only the owner and admins change a room's name and topic.");
      }
      const name = input.name === undefined ? undefined : checkRoomName(input.name);
      const topic = input.topic === undefined ? undefined : checkTopic(input.topic);
      await members.paced(user);
      const room = await store.rooms.update(id, { name, topic });
      if (!room) throw roomNotFound();
      events.toConversation(id, {
        type: "room_updated",
        conversationId: id,
        name: room.name,
        topic: room.topic,
      });
      return roomView(room, me.role);
    },

    /** The owner deletes the room and its messages; every member sees it go, on every tab. */
    async delete(user: User, id: number): Promise<void> {
      const { me } = await members.lookup(user, id);
      if (me.role !== "owner") throw notAllowed("Only the owner deletes a room.");
      await members.paced(user);
      const gone = await store.rooms.members(id);
      if (!(await store.rooms.delete(id))) throw roomNotFound();
      // On each member's own topic, so that a socket still in its handshake learns it too.
      for (const member of gone) {
        const frame = { type: "room_left", conversationId: id, reason: "deleted" } as const;
        events.membership(member.id, id, false, frame);
      }
    },
  };
}

export type Rooms = ReturnType<typeof createRooms>;
