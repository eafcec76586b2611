// The realtime services, wired together: bus, presence, blocks, friends, conversations.
import { createBus } from "./bus.ts";
import type { Config } from "./config.ts";
import { createConversations } from "./conversations.ts";
import { createBlockList, createFriendships } from "./friendships.ts";
import { encodeHex } from "./hex.ts";
import type { Logger } from "./log.ts";
import { createPresence } from "./presence.ts";
import { CLOSE, type Snapshot } from "./protocol.ts";
import type { Sessions } from "./sessions.ts";
import type { Store, User } from "./store/types.ts";
import { LOBBY_ID } from "./wire.ts";

export function createRealtime(
  deps: { config: Config; store: Store; sessions: Sessions; log: Logger },
) {
  const { config, store, sessions, log } = deps;
  const bus = createBus();
  const blocks = createBlockList();
  const presence = createPresence({ store, bus, graceMs: config.PRESENCE_GRACE_MS });
  const friendships = createFriendships({
    store,
    bus,
    presence,
    blocks,
    log,
    onBlocksChanged: async (userId) => {
      if (!bus.isConnected(userId)) return;
      const view = await conversations.conversationView(userId, {
        id: LOBBY_ID,
        kind: "lobby",
        with: null,
      });
      bus.publishToUser(userId, JSON.stringify({ type: "conversation", conversation: view }));
    },
  });
  const conversations = createConversations({
    store,
    bus,
    presence,
    blocks,
    log,
    messagesPer10s: config.MESSAGES_PER_10S,
  });
  // Logout and password changes close the sockets those sessions opened.
  sessions.onRevoke((hashes) =>
    bus.closeSessions(new Set(hashes.map(encodeHex)), CLOSE.SESSION_ENDED, "session ended")
  );
  return {
    bus,
    blocks,
    presence,
    friendships,
    conversations,
    /** Loads what delivery keeps in memory. */
    async load(): Promise<void> {
      for (const [blocker, blocked] of await store.blocks.all()) blocks.block(blocker, blocked);
    },
    async snapshot(user: User): Promise<Snapshot> {
      const [mine, friends] = await Promise.all([
        conversations.snapshot(user),
        friendships.view(user.id),
      ]);
      return { ...mine, ...friends };
    },
    stop(reason: string): void {
      presence.stop();
      bus.closeAll(CLOSE.GOING_AWAY, reason);
    },
  };
}

export type Realtime = ReturnType<typeof createRealtime>;
