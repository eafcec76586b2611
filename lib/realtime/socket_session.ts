// The chat socket's protocol, from open to close: the snapshot handshake (with resume), an
// inbox that handles frames in order and bounds what waits, decoding and the bad-frame
// budget, one typed handler per frame type, and errors as error frames.
import { setImmediate } from "node:timers";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type ClientFrame, clientFrame, encodeFrame } from "../protocol.ts";
import type { User } from "../store/types.ts";
import { CLOSE, type Replayed, seqOf, type ServerFrame, type Snapshot } from "../wire.ts";
import { type ChatSocket, createConnection } from "./connection.ts";
import type { Handlers, SessionContext } from "./handlers.ts";
import type { Hub } from "./hub.ts";

const MAX_BAD_FRAMES = 20; // per socket, before it is closed as broken
// Frames waiting to be handled, per socket: beyond half of this a client sends faster than we
// can handle, and we stop reading from it until the inbox drains (TCP then holds the rest, on
// its side). Frames parsed before the pause takes hold are refused, not held in memory.
const MAX_INBOX_BYTES = 1024 * 1024;
const MAX_INBOX_FRAMES = 1000; // a small frame costs far more than its bytes while it waits
const FRAMES_PER_TURN = 32; // handled at once from one socket before the others get a turn
// Handled frames whose work goes on (sends waiting for their commit), per socket: past this the
// next frame waits until one finishes.
const MAX_UNFINISHED = 64;
const CLIENT_ID = /"clientId"\s*:\s*"([0-9a-fA-F-]{36})"/;

/** A server-side WebSocket (lib/realtime/websockets.ts): what a connection writes to, and its events. */
export type ServerSocket = ChatSocket & {
  onopen: (() => void) | null;
  onmessage: ((event: { data: string | Uint8Array }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: { error: unknown }) => void) | null;
  /** Stops reading from the peer (TCP then pushes back on it) until `resumeReading`. */
  pauseReading(): void;
  resumeReading(): void;
};

export type SessionDeps = {
  hub: Hub;
  handlers: Handlers;
  log: Logger;
  /** The ids of the rooms the user is in: the socket receives their events. */
  roomsOf(user: User): Promise<number[]>;
  /** The highest seq committed now: events at or below it are in what the snapshot reads. */
  lastSeq(): Promise<number>;
  snapshot(user: User): Promise<Snapshot>;
  /**
   * What happened after a seq (messages, receipts), by seq, or null when too much to replay
   * (the client then resyncs).
   */
  missed(user: User, afterSeq: number): Promise<Replayed[] | null>;
  connected(user: User, appearOffline: boolean): Promise<void>;
  disconnected(user: User): void;
};

export function startSocketSession(
  deps: SessionDeps,
  socket: ServerSocket,
  who: {
    user: User;
    sessionKey: string;
    after: number | null;
    /** Ends the upgrade's reservation (the hub counts the socket once it is open). */
    release: () => void;
    /** Gives back the user's place among the sockets of every instance (on close). */
    leave?: () => void;
  },
): void {
  const { hub, handlers, log } = deps;
  const { user, after, release } = who;
  const connection = createConnection(
    socket,
    { userId: user.id, username: user.username, sessionKey: who.sessionKey },
    () => log.warn("socket.slow", { user: user.username }),
  );
  // Every frame shares the socket's one write per turn of the event loop: a client that sends
  // a burst gets its replies in one write, not one each.
  const send = (frame: ServerFrame) => connection.reply(encodeFrame(frame), true);
  let unfinished = 0;
  let room: PromiseWithResolvers<void> | null = null; // resolved when unfinished drops below the cap
  const ctx: SessionContext = {
    user,
    reply: send,
    finishing(frame, work) {
      unfinished++;
      work.then((r) => void (r && send(r)), (error) => failed(frame, error)).finally(() => {
        if (--unfinished < MAX_UNFINISHED && room) {
          room.resolve();
          room = null;
        }
      });
    },
  };
  /** A promise to wait on before the next frame while too much work goes on; else nothing. */
  const roomForMore = (): Promise<void> | void =>
    unfinished < MAX_UNFINISHED ? undefined : (room ??= Promise.withResolvers()).promise;
  // Frames from one socket are handled in order: at once while nothing waits, and queued behind
  // a handler that has to wait (a send waits for its commit).
  const inbox: string[] = [];
  let head = 0; // inbox[head] is the next frame to handle
  let inboxBytes = 0;
  let busy = true; // until the handshake is done
  let paused = false;
  let refused = 0; // frames refused since the inbox last drained
  let badFrames = 0;

  socket.onopen = () => {
    release();
    hub.add(connection); // events are held from here, so nothing slips between snapshot and live
    log.info("socket.open", {
      user: user.username,
      conn: connection.id,
      sockets: hub.connectionsOf(user.id).size,
    });
    handshake().then(() => drain(), (error) => {
      log.error("socket.start_failed", { user: user.username }, error);
      connection.close(1011, "could not start");
    });
  };

  /** Snapshot, then (when resuming) every message after `after`, then live events. */
  async function handshake() {
    // The rooms first, then the cursor: a room's message committed after the cursor is held.
    hub.enter(connection, await deps.roomsOf(user));
    let cursor = await deps.lastSeq(); // read first: what commits later is held, not lost
    const snapshot = await deps.snapshot(user);
    await deps.connected(user, snapshot.me.appearOffline);
    send({ type: "snapshot", snapshot });
    if (after !== null) {
      const missed = await deps.missed(user, after);
      if (missed === null) send({ type: "resync" });
      else {
        for (const frame of missed) {
          await connection.drained(); // a replay may be larger than what a socket may buffer
          send(frame);
        }
        const last = missed.at(-1);
        if (last) cursor = Math.max(cursor, seqOf(last));
      }
    }
    send({ type: "caught_up", seq: cursor });
    connection.goLive(cursor);
  }

  socket.onmessage = (event) => {
    if (typeof event.data !== "string") {
      return connection.close(CLOSE.UNSUPPORTED_DATA, "binary frames are not supported");
    }
    // Frames over MAX_FRAME_BYTES never get here: the socket refuses them at their header (1009).
    const data = event.data;
    const waiting = inbox.length - head;
    if (inboxBytes + data.length > MAX_INBOX_BYTES || waiting >= MAX_INBOX_FRAMES) {
      // Unparsed, but a send is worth naming: the client can retry it. Anything else gets one
      // error until the inbox drains, so a flood is not answered frame by frame; a client that
      // keeps sending as many again is flooding, and is cut off.
      if (++refused > MAX_INBOX_FRAMES) return connection.close(1008, "too many frames at once");
      const clientId = CLIENT_ID.exec(data)?.[1];
      if (!clientId && refused > 1) return;
      const message = "Too many frames at once: slow down and retry.";
      return send({ type: "error", code: "rate_limited", message, clientId, retryAfterS: 1 });
    }
    inbox.push(data);
    inboxBytes += data.length;
    if (!paused && ((waiting + 1) * 2 >= MAX_INBOX_FRAMES || inboxBytes * 2 > MAX_INBOX_BYTES)) {
      paused = true;
      socket.pauseReading();
    }
    if (!busy) drain();
  };

  /**
   * Handles what waits in the inbox, in order, until a handler must wait. After a few frames it
   * yields the turn, so that one socket's burst does not keep the others waiting.
   */
  function drain(): void {
    busy = true;
    for (let handled = 0; head < inbox.length; handled++) {
      if (handled === FRAMES_PER_TURN) return void setImmediate(drain);
      const data = inbox[head];
      inbox[head++] = ""; // let it go
      inboxBytes -= data.length;
      const waiting = handle(data);
      if (waiting) {
        if (head > 1024 && head * 2 > inbox.length) inbox.splice(0, head), head = 0;
        waiting.then(drain);
        return;
      }
    }
    inbox.length = head = 0;
    busy = false;
    refused = 0;
    if (paused) {
      paused = false;
      socket.resumeReading();
    }
  }

  function refuse(code: "invalid_json" | "invalid_frame", message: string) {
    send({ type: "error", code, message });
    if (++badFrames > MAX_BAD_FRAMES) connection.close(1008, "too many invalid frames");
  }

  /** Handles one frame; returns a promise only when its handler has to wait (it never rejects). */
  function handle(data: string): Promise<void> | void {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return refuse("invalid_json", "The frame is not valid JSON.");
    }
    const parsed = clientFrame.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse("invalid_frame", `${issue.path.join(".") || "frame"}: ${issue.message}`);
    }
    const frame = parsed.data;
    const handler = handlers[frame.type] as (
      c: SessionContext,
      f: typeof frame,
    ) => ReturnType<Handlers[typeof frame.type]>;
    let reply;
    try {
      reply = handler(ctx, frame);
    } catch (error) {
      return failed(frame, error);
    }
    if (!(reply instanceof Promise)) {
      if (reply) send(reply);
      return roomForMore();
    }
    return reply.then((r) => void (r && send(r)), (error) => failed(frame, error)).then(
      roomForMore,
    );
  }

  function failed(frame: ClientFrame, error: unknown): void {
    const clientId = "clientId" in frame ? frame.clientId : undefined;
    if (error instanceof AppError) {
      const retryAfter = Number(error.headers["Retry-After"]);
      return send({
        type: "error",
        code: error.code,
        message: error.message,
        clientId,
        ...(retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
      });
    }
    log.error("socket.frame_failed", { user: user.username, type: frame.type }, error);
    send({
      type: "error",
      code: "internal",
      message: "Something went wrong on our side.",
      clientId,
    });
  }

  socket.onclose = (event) => {
    release();
    who.leave?.();
    const left = hub.remove(connection);
    deps.disconnected(user);
    log.info("socket.close", {
      user: user.username,
      conn: connection.id,
      code: event.code,
      sockets: left,
    });
  };
  socket.onerror = () => {}; // onclose follows and does the bookkeeping
}
