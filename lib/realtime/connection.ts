// One open chat socket and its outbox. Every frame the server writes goes through `write`,
// so a client that stops reading is dropped once about 1 MiB waits for it, whatever the
// frames are (events, acks, pongs, errors).
import { CLOSE } from "../wire.ts";

/** Above this many unsent bytes a client is not keeping up: drop it; it resumes on reconnect. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Events held for a connection still receiving its snapshot, before it is considered stuck. */
const MAX_HELD_EVENTS = 10_000;

/** The part of a WebSocket that a connection writes to. */
export type ChatSocket = {
  readonly readyState: number;
  readonly bufferedAmount: number;
  /**
   * Writes a frame. With `batch`, it may wait for the end of this turn of the event loop and
   * share one write with the socket's other frames; without, it goes now unless frames are
   * already waiting (order is kept either way).
   */
  send(data: string, batch?: boolean): void;
  close(code?: number, reason?: string): void;
  /** Resolves once at most `bytes` are waiting to be sent, or the socket has closed. */
  drained(bytes: number): Promise<void>;
};

export type Who = {
  userId: number;
  username: string; /** hex SHA-256 of the session token */
  sessionKey: string;
};

export type Connection = Readonly<Who> & {
  readonly id: number;
  /**
   * Writes ahead of held events: replies (now), and the snapshot and replay themselves
   * (`batch`: sharing one write).
   */
  reply(frame: string, batch?: boolean): void;
  /** Resolves once the client has read enough to take more (for a long replay), or is gone. */
  drained(): Promise<void>;
  /** A published event: held until live; skipped when its seq is at or below the cursor. */
  deliver(frame: string, seq?: number): void;
  close(code: number, reason: string): void;
  /** Ends the snapshot phase: held events after `cursor` go out now. */
  goLive(cursor: number): void;
};

let nextConnectionId = 1;
// WebSocket.OPEN and CONNECTING, without a lookup on the global object per frame.
const CONNECTING = 0;
const OPEN = 1;

export function createConnection(
  socket: ChatSocket,
  who: Who,
  onSlow: (connection: Connection) => void = () => {},
): Connection {
  let held: { frame: string; seq?: number }[] | null = []; // null once live
  let cursor = 0;
  const isOpen = () => socket.readyState === OPEN;

  function write(frame: string, batch = false) {
    if (!isOpen()) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      onSlow(connection);
      return connection.close(CLOSE.TOO_SLOW, "too far behind");
    }
    socket.send(frame, batch);
  }

  const connection: Connection = {
    id: nextConnectionId++,
    ...who,
    reply: write,
    drained: () => socket.drained(MAX_BUFFERED_BYTES / 2),
    deliver(frame, seq) {
      if (!isOpen()) return;
      if (held) {
        if (held.length >= MAX_HELD_EVENTS) {
          return connection.close(CLOSE.TOO_SLOW, "too far behind");
        }
        held.push({ frame, seq });
        return;
      }
      if (seq !== undefined && seq <= cursor) return; // already in the snapshot or the replay
      write(frame, true);
    },
    close(code, reason) {
      if (socket.readyState === OPEN || socket.readyState === CONNECTING) {
        socket.close(code, reason);
      }
    },
    goLive(liveCursor) {
      const events = held ?? [];
      held = null;
      cursor = liveCursor;
      for (const event of events) connection.deliver(event.frame, event.seq);
    },
  };
  return connection;
}
