// The chat socket: connect, resume from the cursor, heartbeat, and reconnect with backoff.
// It decodes server frames and hands each one on; what they mean is the state's business.
import type { ClientFrame } from "../../lib/protocol.ts";
import { CLOSE, type ServerFrame, type Snapshot } from "../../lib/wire.ts";

export type Connection = "connecting" | "live" | "reconnecting";

export type ChatSocketOptions = {
  /** How often to ping a quiet socket: the server's HEARTBEAT_S, passed by the page. */
  heartbeatMs: number;
  onFrame(frame: ServerFrame): void;
  onConnection(connection: Connection): void;
};

const PONG_WITHIN_MS = 10_000;
const FIRST_RETRY_MS = 500;
// A server back from a restart is found within about two seconds; a small community's tabs
// retrying that often cost it little.
const LAST_RETRY_MS = 2_000;

export function createChatSocket(options: ChatSocketOptions) {
  // The resume point: the newest message this page has received in order. A reconnect asks
  // for everything after it, so nothing sent while the socket was down is lost.
  let cursor = 0;
  // The cursor at the last caught_up: up to it, nothing can be missing.
  let complete = 0;
  let socket: WebSocket | null = null;
  let live = false;
  let attempts = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function receive(frame: ServerFrame) {
    if (frame.type === "resync" && live) {
      // Events were lost between servers while live (Redis restarted, say): what this page
      // shows may be stale anywhere. Start over from the last point known complete: a fresh
      // snapshot, then everything after it.
      cursor = complete;
      socket?.close();
      return;
    }
    cursor = advanceCursor(cursor, frame);
    if (frame.type === "caught_up") complete = cursor;
    if (frame.type === "pong") clearTimeout(pongTimer);
    if (frame.type === "caught_up") {
      live = true;
      attempts = 0;
      options.onConnection("live");
    }
    options.onFrame(frame);
  }

  function connect() {
    retryTimer = undefined;
    const ws = new WebSocket(socketUrl(location, cursor));
    socket = ws;
    ws.onmessage = (event) => {
      const frame = decode(event.data);
      if (frame) receive(frame);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      if (event.code === CLOSE.SESSION_ENDED) return location.assign("/login");
      lost();
    };
  }

  /** The socket is gone: say so, and try again after the backoff. */
  function lost() {
    socket = null;
    live = false;
    clearTimeout(pongTimer);
    options.onConnection("reconnecting");
    retryTimer = setTimeout(connect, retryDelayMs(attempts++));
  }

  function heartbeat() {
    if (socket?.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "ping" }));
    clearTimeout(pongTimer);
    pongTimer = setTimeout(() => socket?.close(), PONG_WITHIN_MS); // silent server: start over
  }

  return {
    /** Opens the socket, resuming after what the server-rendered snapshot already showed. */
    start(initial: Snapshot) {
      cursor = advanceCursor(cursor, { type: "snapshot", snapshot: initial });
      connect();
      setInterval(heartbeat, options.heartbeatMs);
    },
    /** Tries again now rather than after the backoff: the network or the tab just came back. */
    reconnectNow() {
      if (retryTimer === undefined) return; // connected, or a connect is under way
      clearTimeout(retryTimer);
      connect();
    },
    /**
     * Gives up on the socket now: the browser says the network is gone. An open socket then
     * delivers nothing, yet may not close by itself until a ping goes unanswered (35 s with the
     * default heartbeat), all the while showing the page as live.
     */
    disconnect() {
      const ws = socket;
      if (!ws) return; // already waiting to retry
      lost();
      ws.close();
    },
    /** Sends a frame if the socket is live; false when it is not (the caller keeps it). */
    send(frame: ClientFrame): boolean {
      if (!live || socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
  };
}

export type ChatSocket = ReturnType<typeof createChatSocket>;

/** 0.5 s, 1 s, 2 s, 2 s …, with jitter so that a server restart is not a stampede. */
export function retryDelayMs(attempt: number, random = Math.random()): number {
  return Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt) * (0.75 + random / 2);
}

/** Where a frame leaves the cursor: past what it delivered, never back. */
export function advanceCursor(cursor: number, frame: ServerFrame): number {
  switch (frame.type) {
    case "snapshot":
      return Math.max(cursor, newestIn(frame.snapshot));
    case "message":
      return Math.max(cursor, frame.message.seq);
    case "caught_up":
      return Math.max(cursor, frame.seq);
    // Not on an ack: it answers this socket at once, and may overtake an earlier change
    // still on its way to this socket; moving past it could skip that change on resume.
    default:
      return cursor;
  }
}

/** The socket's address on this page's host, resuming after the cursor once there is one. */
export function socketUrl(page: { protocol: string; host: string }, cursor: number): string {
  const scheme = page.protocol === "https:" ? "wss" : "ws";
  // Always with the cursor, 0 too: what was posted between the page and the socket is replayed.
  return `${scheme}://${page.host}/ws?after=${cursor}`;
}

function decode(data: unknown): ServerFrame | null {
  try {
    return JSON.parse(String(data));
  } catch (error) {
    console.error("chat socket: a frame that is not JSON was dropped", error);
    return null;
  }
}

function newestIn(snapshot: Snapshot): number {
  return Math.max(0, ...snapshot.conversations.map((c) => c.latest?.seq ?? 0));
}
