// Presence for a single process: the set of users it holds.
import type { PresenceStore } from "./presence.ts";

export function createMemoryPresence(): PresenceStore {
  const held = new Set<number>();
  return {
    hold(userId) {
      const cameOnline = !held.has(userId);
      held.add(userId);
      return Promise.resolve(cameOnline);
    },
    release(userId) {
      return Promise.resolve(held.delete(userId));
    },
    onlineAmong(userIds) {
      return Promise.resolve(new Set(userIds.filter((id) => held.has(id))));
    },
    onExpired() {
      return () => {}; // the holder is this process: when it dies, so does everyone's view
    },
    close() {
      held.clear();
      return Promise.resolve();
    },
  };
}

const _: PresenceStore = createMemoryPresence();
