// This process's open sockets, by user and by the rooms their users are in. Broker output
// reaches them in one function: deliver.
import { encodeFrame } from "../protocol.ts";
import type { Envelope } from "./broker.ts";
import type { Connection } from "./connection.ts";

/** A socket upgraded but never opened (its client vanished) stops counting after this. */
const RESERVATION_MS = 10_000;
const RESYNC = encodeFrame({ type: "resync" });

export function createHub() {
  const all = new Set<Connection>();
  const byUser = new Map<number, Set<Connection>>();
  const none: ReadonlySet<Connection> = new Set();
  const pending = new Map<number, number>(); // sockets upgraded but not yet open, per user
  const reservationTimers = new Set<ReturnType<typeof setTimeout>>();
  const byRoom = new Map<number, Set<Connection>>();
  const roomsOf = new Map<Connection, Set<number>>();
  // Membership changes a connection heard before its rooms were read (see `enter`).
  const heardEarly = new Map<Connection, Map<number, boolean>>();

  function recipients(envelope: Envelope): Iterable<Connection> {
    const { topic } = envelope;
    if (topic === "everyone") return all;
    if (topic.startsWith("user:")) return byUser.get(Number(topic.slice(5))) ?? none;
    return byRoom.get(Number(topic.slice(13))) ?? none; // "conversation:7"
  }

  function join(connection: Connection, conversationId: number) {
    let here = byRoom.get(conversationId);
    if (!here) byRoom.set(conversationId, here = new Set());
    here.add(connection);
    let mine = roomsOf.get(connection);
    if (!mine) roomsOf.set(connection, mine = new Set());
    mine.add(conversationId);
  }

  function part(connection: Connection, conversationId: number) {
    const here = byRoom.get(conversationId);
    here?.delete(connection);
    if (here?.size === 0) byRoom.delete(conversationId);
    roomsOf.get(connection)?.delete(conversationId);
  }

  /** Before the frame reaches them: they start or stop receiving the room's events. */
  function applyMembership(
    targets: Connection[],
    { conversationId, joined }: { conversationId: number; joined: boolean },
  ) {
    for (const connection of targets) {
      heardEarly.get(connection)?.set(conversationId, joined);
      if (joined) join(connection, conversationId);
      else part(connection, conversationId);
    }
  }

  return {
    /**
     * Holds a place for a socket being upgraded, so that concurrent upgrades cannot pass the
     * per-user limit together. Returns its release (call on open or close), or null when full.
     */
    reserve(userId: number, limit: number): (() => void) | null {
      if ((byUser.get(userId)?.size ?? 0) + (pending.get(userId) ?? 0) >= limit) return null;
      pending.set(userId, (pending.get(userId) ?? 0) + 1);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        clearTimeout(timer);
        reservationTimers.delete(timer);
        const left = pending.get(userId)! - 1;
        if (left) pending.set(userId, left);
        else pending.delete(userId);
      };
      const timer = setTimeout(release, RESERVATION_MS);
      reservationTimers.add(timer);
      return release;
    },
    /**
     * Returns how many connections the user now has here. It receives its user's events from
     * now on, and its rooms' once `enter` has named them.
     */
    add(connection: Connection): number {
      heardEarly.set(connection, new Map());
      all.add(connection);
      let mine = byUser.get(connection.userId);
      if (!mine) byUser.set(connection.userId, mine = new Set());
      mine.add(connection);
      return mine.size;
    },
    /**
     * The rooms the connection's user is in, as read after `add`: it receives their events from
     * now on. A membership change it heard since `add` wins over this read, which may be older.
     */
    enter(connection: Connection, conversationIds: readonly number[]): void {
      const heard = heardEarly.get(connection);
      heardEarly.delete(connection);
      if (!all.has(connection)) return; // closed meanwhile
      for (const id of conversationIds) if (!heard?.has(id)) join(connection, id);
    },
    /** Whether the connection receives a room's events now. */
    receives: (connection: Connection, conversationId: number): boolean =>
      byRoom.get(conversationId)?.has(connection) ?? false,
    /** Returns how many connections the user still has here. */
    remove(connection: Connection): number {
      for (const id of roomsOf.get(connection) ?? []) part(connection, id);
      roomsOf.delete(connection);
      heardEarly.delete(connection);
      all.delete(connection);
      const mine = byUser.get(connection.userId);
      if (!mine) return 0;
      mine.delete(connection);
      if (mine.size === 0) byUser.delete(connection.userId);
      return mine.size;
    },
    connectionsOf: (userId: number): ReadonlySet<Connection> => byUser.get(userId) ?? none,
    connectionCount: () => all.size,
    isConnected: (userId: number) => byUser.has(userId),

    /** The one place where broker output reaches this process's sockets. */
    deliver(envelope: Envelope): void {
      if ("sync" in envelope) return; // for the services, not for sockets
      if ("closeSessions" in envelope) {
        const keys = new Set(envelope.closeSessions);
        for (const connection of recipients(envelope)) {
          if (keys.has(connection.sessionKey)) connection.close(envelope.code, envelope.reason);
        }
        return;
      }
      const { frame, seq, except, only, membership } = envelope;
      if (only) {
        const chosen = new Set(only);
        for (const connection of recipients(envelope)) {
          if (chosen.has(connection.userId)) connection.deliver(frame, seq);
        }
        return;
      }
      if (membership) {
        const targets = [...recipients(envelope)];
        applyMembership(targets, membership);
        for (const connection of targets) connection.deliver(frame, seq);
        return;
      }
      if (!except?.length) {
        for (const connection of recipients(envelope)) connection.deliver(frame, seq);
        return;
      }
      const skip = new Set(except);
      for (const connection of recipients(envelope)) {
        if (!skip.has(connection.userId)) connection.deliver(frame, seq);
      }
    },

    /**
     * Tells every socket here to reload what it shows: events for it may have been lost on the
     * way between processes. As an event, so a socket still in its handshake gets it once live.
     */
    resync(): void {
      for (const connection of all) connection.deliver(RESYNC);
    },

    closeAll(code: number, reason: string): void {
      for (const connection of all) connection.close(code, reason);
      for (const timer of reservationTimers) clearTimeout(timer);
      reservationTimers.clear();
      pending.clear();
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
