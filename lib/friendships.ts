// Friends: requests, acceptance, removal, blocks. Every change reaches both sides at once.
import { AppError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { Presence } from "./presence.ts";
import type { Events } from "./realtime/broker.ts";
import type { FriendsView } from "./wire.ts";
import type { Store, User } from "./store/types.ts";
import { normalizeUsername } from "./usernames.ts";

export function createFriendships(deps: {
  store: Store;
  events: Events;
  presence: Presence;
  log: Logger;
  /**
   * Called after a block or unblock: what the Lobby and the blocker's rooms show changed, and
   * the read receipts of the two in their direct conversation.
   */
  onBlocksChanged: (blocker: number, blocked: number) => Promise<void>;
}) {
  const { store, events, presence, log } = deps;
  // Friendships known to hold, so that a direct message needs no query. An ending friendship
  // (unfriend, block) is forgotten by every process: this one at once, the others when the
  // broker carries the change (lib/services.ts applies it with `forget`).
  const knownFriends = new Set<string>();
  const pair = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const KNOWN_FRIENDS_MAX = 100_000;
  let endings = 0; // friendships ended so far: a lookup that raced one is not remembered
  const forget = (a: number, b: number) => {
    endings++;
    knownFriends.delete(pair(a, b));
  };
  const ended = (a: number, b: number) => {
    forget(a, b);
    events.sync({ kind: "friendship_ended", a, b });
  };

  async function view(userId: number): Promise<FriendsView> {
    const [friends, incoming, outgoing, blocked] = await Promise.all([
      store.friends.friendsOf(userId),
      store.friends.incoming(userId),
      store.friends.outgoing(userId),
      store.blocks.blockedBy(userId),
    ]);
    return { friends: await presence.views(friends), incoming, outgoing, blocked };
  }

  async function notify(...userIds: number[]) {
    for (const userId of userIds) {
      events.toUser(userId, { type: "friends", friends: await view(userId) });
    }
  }

  async function other(me: User, username: string): Promise<User> {
    const found = await store.users.findByName(normalizeUsername(username));
    if (!found) throw new AppError(404, "no_such_user", `There is no user called ${username}.`);
    if (found.id === me.id) {
      throw new AppError(400, "cannot_befriend_self", "You cannot befriend yourself.");
    }
    return { id: found.id, username: found.username };
  }

  return {
    view,
    /** Another process ended a friendship: it is no longer known to hold here either. */
    forget,
    /** Forgets every known friendship (after changes may have been missed). */
    forgetAll(): void {
      endings++;
      knownFriends.clear();
    },

    /** Whether a and b are friends (either order). */
    async areFriends(a: number, b: number): Promise<boolean> {
      const key = pair(a, b);
      if (knownFriends.has(key)) return true;
      const before = endings;
      if (!(await store.friends.areFriends(a, b))) return false;
      if (before !== endings) return true; // true when asked; perhaps not now: do not keep it
      if (knownFriends.size >= KNOWN_FRIENDS_MAX) knownFriends.clear();
      knownFriends.add(key);
      return true;
    },

    /** Sends a request, or accepts theirs if they already asked. Returns what happened. */
    async request(me: User, username: string): Promise<"requested" | "accepted"> {
      const them = await other(me, username);
      const rel = await store.friends.relationship(me.id, them.id);
      if (rel.aBlockedB) {
        throw new AppError(403, "blocked", `You blocked ${them.username}; unblock them first.`);
      }
      if (rel.bBlockedA) {
        throw new AppError(403, "blocked", `You cannot send ${them.username} a request.`);
      }
      if (rel.friends) {
        throw new AppError(409, "already_friends", `You and ${them.username} are already friends.`);
      }
      if (rel.aAskedB) {
        throw new AppError(409, "request_pending", `You already asked ${them.username}.`);
      }
      if (rel.bAskedA) {
        await store.friends.befriend(me.id, them.id, Date.now());
        log.info("friends.accepted", { user: me.username, friend: them.username });
        await notify(me.id, them.id);
        return "accepted";
      }
      await store.friends.request(me.id, them.id, Date.now());
      log.info("friends.requested", { user: me.username, to: them.username });
      await notify(me.id, them.id);
      return "requested";
    },

    async accept(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      const rel = await store.friends.relationship(me.id, them.id);
      if (rel.friends) {
        throw new AppError(409, "already_friends", `You and ${them.username} are already friends.`);
      }
      if (!rel.bAskedA) {
        throw new AppError(404, "no_request", `${them.username} has not asked to be your friend.`);
      }
      await store.friends.befriend(me.id, them.id, Date.now());
      log.info("friends.accepted", { user: me.username, friend: them.username });
      await notify(me.id, them.id);
    },

    async decline(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      if (!(await store.friends.deleteRequest(them.id, me.id))) {
        throw new AppError(404, "no_request", `${them.username} has not asked to be your friend.`);
      }
      await notify(me.id, them.id);
    },

    async cancel(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      if (!(await store.friends.deleteRequest(me.id, them.id))) {
        throw new AppError(404, "no_request", `You have not asked ${them.username}.`);
      }
      await notify(me.id, them.id);
    },

    async remove(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      ended(me.id, them.id);
      if (!(await store.friends.unfriend(me.id, them.id))) {
        throw new AppError(404, "not_friends", `You and ${them.username} are not friends.`);
      }
      log.info("friends.removed", { user: me.username, friend: them.username });
      await notify(me.id, them.id);
    },

    async block(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      ended(me.id, them.id);
      await store.blocks.block(me.id, them.id, Date.now());
      events.sync({ kind: "blocked", blocker: me.id, blocked: them.id });
      log.info("friends.blocked", { user: me.username, blocked: them.username });
      await notify(me.id, them.id);
      await deps.onBlocksChanged(me.id, them.id);
    },

    async unblock(me: User, username: string): Promise<void> {
      const them = await other(me, username);
      if (!(await store.blocks.unblock(me.id, them.id))) {
        throw new AppError(404, "not_blocked", `You have not blocked ${them.username}.`);
      }
      events.sync({ kind: "unblocked", blocker: me.id, blocked: them.id });
      await notify(me.id, them.id);
      await deps.onBlocksChanged(me.id, them.id);
    },
  };
}

export type Friendships = ReturnType<typeof createFriendships>;
