// The one composition root: every service, built in dependency order from the config and
// the backends. Nothing else constructs a service or a backend.
import { createAccounts } from "./accounts.ts";
import { createBlockList } from "./blocks.ts";
import type { Config } from "./config.ts";
import { createConversations } from "./conversations.ts";
import { createFriendships } from "./friendships.ts";
import type { Logger } from "./log.ts";
import { createMentions } from "./mentions.ts";
import { createMessageChanges } from "./message_changes.ts";
import { createMessages } from "./messages.ts";
import { createSearch } from "./search.ts";
import type { Limiters } from "./limits.ts";
import type { SocketSlots } from "./socket_slots_redis.ts";
import { createHasher } from "./passwords.ts";
import { createPresence } from "./presence.ts";
import { createRoomMembers } from "./room_members.ts";
import { createRooms } from "./rooms.ts";
import { type Broker, createEvents } from "./realtime/broker.ts";
import { createHandlers } from "./realtime/handlers.ts";
import { createHub } from "./realtime/hub.ts";
import type { PresenceStore } from "./realtime/presence.ts";
import type { SessionDeps } from "./realtime/socket_session.ts";
import { createWebSockets, type WebSockets } from "./realtime/websockets.ts";
import { createSessions } from "./sessions.ts";
import type { Store, User } from "./store/types.ts";
import { CLOSE, MAX_FRAME_BYTES, type Snapshot } from "./wire.ts";

/** What the services stand on: storage, and how events, presence and limits cross processes. */
export type Backends = {
  store: Store;
  broker: Broker;
  presence: PresenceStore;
  limiters: Limiters;
  /** Places for chat sockets counted across processes; absent: this process's count alone. */
  socketSlots?: Pick<SocketSlots, "reserve">;
};

export type Services = {
  config: Config;
  log: Logger;
  store: Store;
  broker: Broker;
  hasher: ReturnType<typeof createHasher>;
  sessions: ReturnType<typeof createSessions>;
  accounts: ReturnType<typeof createAccounts>;
  /** The chat sockets' server: frames over the limit refused at their header, heartbeat. */
  websockets: WebSockets;
  hub: ReturnType<typeof createHub>;
  events: ReturnType<typeof createEvents>;
  blocks: ReturnType<typeof createBlockList>;
  presence: ReturnType<typeof createPresence>;
  friendships: ReturnType<typeof createFriendships>;
  conversations: ReturnType<typeof createConversations>;
  messages: ReturnType<typeof createMessages>;
  messageChanges: ReturnType<typeof createMessageChanges>;
  search: ReturnType<typeof createSearch>;
  rooms: ReturnType<typeof createRooms>;
  roomMembers: ReturnType<typeof createRoomMembers>;
  /** What each chat socket's session needs. */
  socketSession: SessionDeps;
  /** Places for chat sockets, per user, across every process (SOCKETS_PER_USER). */
  socketSlots: Pick<SocketSlots, "reserve">;
  /** Everything a client needs to start: who they are, conversations, friends. */
  snapshot(user: User): Promise<Snapshot>;
  /** Closes every socket with 1001 and stops timers; the backends stay open. */
  stop(reason: string): void;
};

/** Builds the services and loads what delivery keeps in memory (the blocks). */
export async function createServices(
  config: Config,
  backends: Backends,
  log: Logger,
): Promise<Services> {
  const { store, broker } = backends;
  const hasher = createHasher(config.HASH_CONCURRENCY, config.HASH_QUEUE_MAX);
  const sessions = createSessions(store);
  const accounts = createAccounts({
    config,
    store,
    hasher,
    sessions,
    log,
    limiters: backends.limiters,
  });

  const websockets = createWebSockets({
    maxFrameBytes: MAX_FRAME_BYTES,
    heartbeatMs: config.HEARTBEAT_S * 1000,
  });
  const hub = createHub();
  broker.onEnvelope(hub.deliver);
  const events = createEvents(broker);
  const blocks = createBlockList();
  blocks.load(await store.blocks.all());
  const presence = createPresence({
    store,
    online: backends.presence,
    hub,
    events,
    log,
    graceMs: config.PRESENCE_GRACE_MS,
  });
  const conversations = createConversations({ store, events, blocks });
  const friendships = createFriendships({
    store,
    events,
    presence,
    log,
    onBlocksChanged: async (blocker, blocked) => {
      await conversations.refreshShared(blocker);
      await conversations.refreshDirect(blocker, blocked);
    },
  });
  const sends = backends.limiters("sends", { limit: config.MESSAGES_PER_10S, windowMs: 10_000 });
  const messages = createMessages({
    store,
    events,
    blocks,
    conversations,
    mentions: createMentions({ store, blocks }),
    friendships,
    log,
    sends,
  });
  const messageChanges = createMessageChanges({
    store,
    events,
    blocks,
    conversations,
    sends,
    editWindowS: config.EDIT_WINDOW_S,
  });
  const search = createSearch({
    store,
    searches: backends.limiters("searches", { limit: config.SEARCHES_PER_MIN, windowMs: 60_000 }),
  });
  const roomCaps = {
    createdPerUser: config.ROOMS_PER_USER_CREATED,
    roomsPerUser: config.ROOMS_PER_USER,
    membersPerRoom: config.MEMBERS_PER_ROOM,
  };
  const roomMembers = createRoomMembers({
    store,
    events,
    blocks,
    conversations,
    friendships,
    presence,
    limiters: backends.limiters,
    caps: roomCaps,
    changesPerMin: config.ROOM_CHANGES_PER_MIN,
  });
  const rooms = createRooms({ store, events, members: roomMembers, caps: roomCaps });
  // What every process keeps in memory changes together, as the broker carries each change.
  broker.onEnvelope((envelope) => {
    if (!("sync" in envelope)) return;
    const change = envelope.sync;
    if (change.kind === "friendship_ended") friendships.forget(change.a, change.b);
    else if (change.kind === "blocked") blocks.block(change.blocker, change.blocked);
    else blocks.unblock(change.blocker, change.blocked);
  });
  // After a gap between processes, changes may have been missed: reload, and tell every
  // socket here to reload too.
  broker.onInterrupted?.(() => {
    friendships.forgetAll();
    store.blocks.all().then(blocks.load, (error) => log.error("blocks.reload_failed", {}, error));
    hub.resync();
  });
  // Logout and password changes close the sockets those sessions opened, on every process.
  sessions.onRevoke((hashes) =>
    events.closeSessions(hashes.map((hash) => hash.toHex()), CLOSE.SESSION_ENDED, "session ended")
  );

  async function snapshot(user: User): Promise<Snapshot> {
    const [mine, friends] = await Promise.all([
      conversations.snapshot(user),
      friendships.view(user.id),
    ]);
    return { ...mine, ...friends };
  }

  return {
    config,
    log,
    store,
    broker,
    hasher,
    sessions,
    accounts,
    websockets,
    hub,
    events,
    blocks,
    presence,
    friendships,
    conversations,
    messages,
    messageChanges,
    search,
    rooms,
    roomMembers,
    socketSlots: backends.socketSlots ?? { reserve: () => Promise.resolve(() => {}) },
    socketSession: {
      hub,
      log,
      handlers: createHandlers({ messages, messageChanges, conversations, presence, events }),
      roomsOf: (user) => store.rooms.roomIdsOf(user.id),
      lastSeq: () => store.messages.lastSeq(),
      snapshot,
      missed: messages.missed,
      connected: (user, appearOffline) => presence.connected(user.id, appearOffline),
      disconnected: (user) => presence.disconnected(user.id),
    },
    snapshot,
    stop(reason) {
      presence.stop();
      hub.closeAll(CLOSE.GOING_AWAY, reason);
    },
  };
}
