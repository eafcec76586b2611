// Fan-out inside one process: publish to a user or to a conversation's members,
// one connection per open socket. Each event is serialised once by the caller and
// the same string goes to every recipient. A later bus (Redis) keeps this interface.
import { CLOSE } from "./protocol.ts";

/**
 * Above this many unsent bytes a client is not keeping up: drop it; it resumes on reconnect.
 * Every frame counts, replies and snapshots too: a client that sends pings and never reads
 * would otherwise grow the server's memory by its pongs.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Events held for a connection still receiving its snapshot, before it is considered stuck. */
const MAX_QUEUED_EVENTS = 10_000;
/** A socket upgraded but never opened (its client vanished; Deno then says nothing) stops counting after this. */
const RESERVATION_MS = 10_000;

export type Outgoing = { frame: string; messageId?: number };

export type Connection = {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  /** Hex SHA-256 of the session token, so that revoking a session closes its sockets. */
  readonly sessionKey: string;
  /** An event: held while the snapshot is being sent, then sent unless already covered. */
  send(frame: string, messageId?: number): void;
  /** A reply, the snapshot or the replay: sent at once, bounded like every frame. */
  sendNow(frame: string): void;
  /** Resolves once the client has read enough to take more (for a long replay), or is gone. */
  drained(): Promise<void>;
  close(code: number, reason: string): void;
  /** Ends the snapshot phase: queued events newer than `cursor` go out now. */
  goLive(cursor: number): void;
};

export type SocketLike = {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Resolves once at most `bytes` are waiting to be sent, or the socket has closed. */
  drained?(bytes: number): Promise<void>;
};

let nextConnectionId = 1;

export function createConnection(
  socket: SocketLike,
  who: { userId: number; username: string; sessionKey: string },
  onSlow: (connection: Connection) => void = () => {},
): Connection {
  let queue: Outgoing[] | null = []; // null once live
  let cursor = 0;
  const connection: Connection = {
    id: nextConnectionId++,
    ...who,
    send(frame, messageId) {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (queue) {
        if (queue.length >= MAX_QUEUED_EVENTS) {
          return connection.close(CLOSE.TOO_SLOW, "too far behind");
        }
        queue.push({ frame, messageId });
        return;
      }
      if (messageId !== undefined && messageId <= cursor) return; // already in the snapshot or replay
      connection.sendNow(frame);
    },
    sendNow(frame) {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        onSlow(connection);
        return connection.close(CLOSE.TOO_SLOW, "too far behind");
      }
      socket.send(frame);
    },
    drained: () => socket.drained?.(MAX_BUFFERED_BYTES / 2) ?? Promise.resolve(),
    close(code, reason) {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(code, reason);
      }
    },
    goLive(liveCursor) {
      const held = queue ?? [];
      queue = null;
      cursor = liveCursor;
      for (const event of held) connection.send(event.frame, event.messageId);
    },
  };
  return connection;
}

export function createBus() {
  const all = new Set<Connection>();
  const byUser = new Map<number, Set<Connection>>();
  const none: ReadonlySet<Connection> = new Set();
  const pending = new Map<number, number>(); // sockets upgraded but not yet open, per user
  const reservationTimers = new Set<ReturnType<typeof setTimeout>>();
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
    add(connection: Connection): number {
      all.add(connection);
      let mine = byUser.get(connection.userId);
      if (!mine) byUser.set(connection.userId, mine = new Set());
      mine.add(connection);
      return mine.size;
    },
    /** Returns how many connections the user still has. */
    remove(connection: Connection): number {
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
    publishToUser(userId: number, frame: string, messageId?: number): void {
      for (const connection of byUser.get(userId) ?? none) connection.send(frame, messageId);
    },
    /** To every connected user (the Lobby), but those in `skip`. */
    publishToEveryone(frame: string, messageId?: number, skip?: ReadonlySet<number>): void {
      for (const connection of all) {
        if (!skip?.has(connection.userId)) connection.send(frame, messageId);
      }
    },
    closeSessions(sessionKeys: ReadonlySet<string>, code: number, reason: string): void {
      for (const connection of all) {
        if (sessionKeys.has(connection.sessionKey)) connection.close(code, reason);
      }
    },
    closeUser(userId: number, code: number, reason: string): void {
      for (const connection of byUser.get(userId) ?? none) connection.close(code, reason);
    },
    closeAll(code: number, reason: string): void {
      for (const connection of all) connection.close(code, reason);
      for (const timer of reservationTimers) clearTimeout(timer);
      reservationTimers.clear();
      pending.clear();
    },
  };
}

export type Bus = ReturnType<typeof createBus>;
