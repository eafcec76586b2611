// Presence is connection state: online while a socket is open. A short grace after
// the last socket closes keeps a page reload from flickering offline and back.
import type { Bus } from "./bus.ts";
import type { FriendView } from "./protocol.ts";
import type { FriendRow, Store } from "./store/types.ts";

export const PRESENCE_GRACE_MS = 4_000; // a reload reconnects well within this

export function createPresence(
  deps: { store: Store; bus: Bus; graceMs?: number; now?: () => number },
) {
  const { store, bus } = deps;
  const graceMs = deps.graceMs ?? PRESENCE_GRACE_MS;
  const now = deps.now ?? Date.now;
  const leaving = new Map<number, ReturnType<typeof setTimeout>>();
  const hidden = new Set<number>(); // users appearing offline, while connected
  let stopped = false;

  const online = (userId: number) =>
    (bus.isConnected(userId) || leaving.has(userId)) && !hidden.has(userId);

  async function announce(userId: number, isOnline: boolean, lastSeenAt: number | null) {
    const frame = JSON.stringify({ type: "presence", userId, online: isOnline, lastSeenAt });
    for (const friend of await store.friends.friendsOf(userId)) bus.publishToUser(friend.id, frame);
  }

  return {
    isOnline: online,
    /** A friend as others see them; "last seen" only means something while offline. */
    view(friend: FriendRow): FriendView {
      const isOnline = online(friend.id);
      return {
        id: friend.id,
        username: friend.username,
        online: isOnline,
        lastSeenAt: isOnline ? null : friend.lastSeenAt,
      };
    },
    /** Call after the user's socket joined the bus. */
    async connected(userId: number, appearOffline: boolean): Promise<void> {
      if (appearOffline) hidden.add(userId);
      else hidden.delete(userId);
      const pending = leaving.get(userId);
      if (pending !== undefined) {
        clearTimeout(pending); // back within the grace: nobody saw them leave
        leaving.delete(userId);
        return;
      }
      if (bus.connectionsOf(userId).size === 1 && !appearOffline) {
        await announce(userId, true, null);
      }
    },
    /** Call after the user's socket left the bus. */
    disconnected(userId: number): void {
      if (stopped || bus.isConnected(userId) || leaving.has(userId)) return;
      leaving.set(
        userId,
        setTimeout(async () => {
          leaving.delete(userId);
          if (bus.isConnected(userId)) return;
          const wasHidden = hidden.delete(userId);
          if (wasHidden) return; // appearing offline: friends saw nothing, last-seen stays put
          const at = now();
          await store.users.setLastSeen(userId, at).catch(() => {});
          await announce(userId, false, at).catch(() => {});
        }, graceMs),
      );
    },
    async setAppearOffline(userId: number, appearOffline: boolean): Promise<void> {
      await store.users.setAppearOffline(userId, appearOffline);
      const wasOnline = online(userId);
      if (appearOffline) hidden.add(userId);
      else hidden.delete(userId);
      if (wasOnline === online(userId)) return;
      const { lastSeenAt } = await store.users.presenceFields(userId);
      await announce(userId, online(userId), online(userId) ? null : lastSeenAt);
    },
    /** Clears the grace timers (shutdown): their users are gone anyway. */
    stop(): void {
      stopped = true;
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
