// Presence is connection state: online while a socket is open somewhere. A short grace after
// the last socket here closes keeps a page reload from flickering offline and back. Who is
// online is kept by the PresenceStore (every process's view); this module decides when this
// process holds and releases a user, and tells their friends.
import type { Events } from "./realtime/broker.ts";
import type { Hub } from "./realtime/hub.ts";
import type { PresenceStore } from "./realtime/presence.ts";
import type { FriendRow, Store } from "./store/types.ts";
import type { FriendView } from "./wire.ts";
import type { Logger } from "./log.ts";

export function createPresence(deps: {
  store: Store;
  online: PresenceStore;
  hub: Hub;
  events: Events;
  log: Logger;
  graceMs: number;
  now?: () => number;
}) {
  const { store, online, hub, events, log, graceMs } = deps;
  const now = deps.now ?? Date.now;
  const leaving = new Map<number, ReturnType<typeof setTimeout>>();
  // Users this process holds in the presence store: held once, however many sockets open at
  // once (counting this process's sockets instead missed two tabs opening in the same tick).
  const heldHere = new Set<number>();
  let stopped = false;

  // One user's announcements go out in the order they were made, and one about coming or going
  // only while it is still true here: each waits for queries, and on a pooled database an
  // "offline" from a reload could otherwise overtake the "online" that followed it.
  const announcing = new Map<number, Promise<void>>();
  function announce(
    userId: number,
    isOnline: boolean,
    lastSeenAt: number | null,
    whileHeld?: boolean,
  ) {
    const previous = announcing.get(userId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const friends = await store.friends.friendsOf(userId);
      if (whileHeld !== undefined && heldHere.has(userId) !== whileHeld) return; // no longer true
      events.toUsers(friends.map((f) => f.id), {
        type: "presence",
        userId,
        online: isOnline,
        lastSeenAt,
      });
    });
    const settled = next.catch(() => {}).finally(() => {
      if (announcing.get(userId) === settled) announcing.delete(userId);
    });
    announcing.set(userId, settled);
    return next;
  }

  async function wentOffline(userId: number) {
    if (hub.isConnected(userId) || !heldHere.delete(userId)) return;
    if (!(await online.release(userId))) return; // another process still holds them
    const { appearOffline } = await store.users.presenceFields(userId);
    if (appearOffline) return; // friends saw nothing; last-seen stays put
    const at = now();
    await store.users.setLastSeen(userId, at);
    await announce(userId, false, at, false);
  }

  // Every process that held the user vanished without releasing them (killed, or cut off from
  // the others for longer than the TTL): one live process hears it, and tells their friends.
  async function expired(userId: number) {
    if (stopped || hub.isConnected(userId)) return;
    const { appearOffline } = await store.users.presenceFields(userId);
    if (appearOffline) return;
    const at = now();
    await store.users.setLastSeen(userId, at);
    await announce(userId, false, at);
  }
  const stopHearingExpired = online.onExpired?.((userId) => {
    expired(userId).catch((error) => log.error("presence.expired_failed", { userId }, error));
  });

  return {
    /** Friends as the viewer sees them; "last seen" only means something while offline. */
    async views(friends: FriendRow[]): Promise<FriendView[]> {
      const on = await online.onlineAmong(friends.map((f) => f.id));
      return friends.map((friend) => {
        const isOnline = on.has(friend.id) && !friend.appearOffline;
        return {
          id: friend.id,
          username: friend.username,
          online: isOnline,
          lastSeenAt: isOnline ? null : friend.lastSeenAt,
        };
      });
    },
    async isOnline(userId: number): Promise<boolean> {
      const [on, { appearOffline }] = await Promise.all([
        online.onlineAmong([userId]),
        store.users.presenceFields(userId),
      ]);
      return on.has(userId) && !appearOffline;
    },
    /** Call after the user's socket joined the hub. */
    async connected(userId: number, appearOffline: boolean): Promise<void> {
      // A socket that closed during its handshake: disconnected() has already done the rest,
      // and clearing a grace timer now would keep the user online with no socket.
      if (!hub.isConnected(userId)) return;
      const pending = leaving.get(userId);
      if (pending !== undefined) {
        clearTimeout(pending); // back within the grace: nobody saw them leave
        leaving.delete(userId);
        return;
      }
      if (heldHere.has(userId)) return;
      heldHere.add(userId);
      if ((await online.hold(userId)) && !appearOffline) {
        await announce(userId, true, null, true);
      }
    },
    /** Call after the user's socket left the hub. */
    disconnected(userId: number): void {
      if (stopped || hub.isConnected(userId) || leaving.has(userId)) return;
      leaving.set(
        userId,
        setTimeout(() => {
          leaving.delete(userId);
          wentOffline(userId).catch((error) =>
            log.error("presence.offline_failed", { userId }, error)
          );
        }, graceMs),
      );
    },
    async setAppearOffline(userId: number, appearOffline: boolean): Promise<void> {
      const [on, before] = await Promise.all([
        online.onlineAmong([userId]),
        store.users.presenceFields(userId),
      ]);
      await store.users.setAppearOffline(userId, appearOffline);
      if (!on.has(userId) || before.appearOffline === appearOffline) return;
      await announce(userId, !appearOffline, appearOffline ? before.lastSeenAt : null);
    },
    /** Clears the grace timers (shutdown): their users are gone anyway. */
    stop(): void {
      stopped = true;
      stopHearingExpired?.();
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
