// GET /ws: the chat socket. Only for a live session and our own Origin.
import { Hono } from "hono";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import { createConnection } from "../lib/bus.ts";
import type { Config } from "../lib/config.ts";
import { AppError } from "../lib/errors.ts";
import { encodeHex } from "../lib/hex.ts";
import { ourOrigin } from "../lib/http.ts";
import { upgradeOf } from "../lib/http_server.ts";
import type { Logger } from "../lib/log.ts";
import { clientFrame, CLOSE } from "../lib/protocol.ts";
import type { Realtime } from "../lib/realtime.ts";
import type { User } from "../lib/store.ts";
import type { WebSockets } from "../lib/websockets.ts";

const MAX_BAD_FRAMES = 20; // per socket, before it is closed as broken
// Frames waiting to be handled, per socket: beyond this a client sends faster than we can
// handle, and we stop reading from it until the inbox drains (TCP then holds the rest, on
// its side). Frames parsed before the pause takes hold are refused, not held in memory.
const MAX_INBOX_BYTES = 1024 * 1024;
const MAX_INBOX_FRAMES = 1000; // a small frame costs far more than its bytes while it waits
const CLIENT_ID = /"clientId"\s*:\s*"([0-9a-fA-F-]{36})"/;

export function chatSocketRoutes(
  deps: { config: Config; realtime: Realtime; websockets: WebSockets; log: Logger },
) {
  const { config, realtime, websockets, log } = deps;
  const { bus, presence, conversations } = realtime;

  return new Hono<AuthEnv>().get("/ws", (c) => {
    if (c.req.header("Origin") !== ourOrigin(c, config)) {
      throw new AppError(403, "forbidden_origin", "The chat socket only opens from this site.");
    }
    const session = requireSession(c);
    const upgrade = upgradeOf(c);
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket" || !upgrade) {
      throw new AppError(426, "upgrade_required", "Open this with a WebSocket.");
    }
    const user = session.user;
    const release = bus.reserve(user.id, config.SOCKETS_PER_USER);
    if (!release) {
      throw new AppError(
        429,
        "too_many_sockets",
        `At most ${config.SOCKETS_PER_USER} open chat sockets per user.`,
      );
    }
    const afterParam = c.req.query("after");
    const after = afterParam !== undefined && /^\d{1,15}$/.test(afterParam)
      ? Number(afterParam)
      : null;

    const socket = websockets.accept(upgrade);
    const connection = createConnection(
      socket,
      { userId: user.id, username: user.username, sessionKey: encodeHex(session.tokenHash) },
      () => log.warn("socket.slow", { user: user.username }),
    );
    const reply = (frame: object) => connection.send(JSON.stringify(frame));
    let inbox = Promise.resolve(); // frames from one socket are handled in order
    let inboxBytes = 0;
    let inboxFrames = 0;
    let paused = false;
    let badFrames = 0;

    socket.onopen = () => {
      release();
      bus.add(connection); // events queue from here, so nothing slips between snapshot and live
      log.info("socket.open", {
        user: user.username,
        conn: connection.id,
        sockets: bus.connectionsOf(user.id).size,
      });
      inbox = inbox.then(() => start(user, after)).catch((error) => {
        log.error("socket.start_failed", { user: user.username }, error);
        connection.close(1011, "could not start");
      });
    };

    /**
     * Snapshot, then (when resuming) every message after `after`, then live events.
     * Events published meanwhile were queued; those at or below the cursor were already sent.
     */
    async function start(user: User, after: number | null) {
      const snapshot = await realtime.snapshot(user);
      await presence.connected(user.id, snapshot.me.appearOffline);
      connection.sendNow(JSON.stringify({ type: "snapshot", snapshot }));
      let cursor = Math.max(0, ...snapshot.conversations.map((conv) => conv.latest?.id ?? 0));
      if (after !== null) {
        const missed = await conversations.missed(user, after);
        if (missed === null) connection.sendNow(JSON.stringify({ type: "resync" }));
        else {
          for (const message of missed) {
            await connection.drained(); // a replay may be larger than what a socket may buffer
            connection.sendNow(JSON.stringify({ type: "message", message }));
          }
          cursor = Math.max(cursor, missed.at(-1)?.id ?? 0);
        }
      }
      connection.sendNow(JSON.stringify({ type: "caught_up", lastMessageId: cursor }));
      connection.goLive(cursor);
    }

    socket.onmessage = (event) => {
      if (typeof event.data !== "string") {
        return connection.close(CLOSE.UNSUPPORTED_DATA, "binary frames are not supported");
      }
      const data = event.data;
      if (inboxBytes + data.length > MAX_INBOX_BYTES || inboxFrames >= MAX_INBOX_FRAMES) {
        const clientId = CLIENT_ID.exec(data)?.[1]; // unparsed, but worth naming: the client can retry it
        return reply({
          type: "error",
          code: "rate_limited",
          message: "Too many frames at once: slow down and retry.",
          clientId,
        });
      }
      inboxBytes += data.length;
      inboxFrames++;
      if (!paused && (inboxFrames * 2 >= MAX_INBOX_FRAMES || inboxBytes * 2 > MAX_INBOX_BYTES)) {
        paused = true;
        socket.pauseReading();
      }
      inbox = inbox.then(() => handle(data)).catch((error) => {
        log.error("socket.frame_failed", { user: user.username }, error);
      }).finally(() => {
        inboxBytes -= data.length;
        if (--inboxFrames === 0 && paused) {
          paused = false;
          socket.resumeReading();
        }
      });
    };

    function refuse(code: string, message: string) {
      reply({ type: "error", code, message });
      if (++badFrames > MAX_BAD_FRAMES) connection.close(1008, "too many invalid frames");
    }

    async function handle(data: string) {
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
      switch (frame.type) {
        case "send": {
          const result = await conversations.send(user, frame);
          if (!result.ok) {
            return reply({
              type: "error",
              code: result.code,
              message: result.message,
              clientId: frame.clientId,
            });
          }
          reply(result.ack);
          result.deliver?.();
          return;
        }
        case "read":
          return conversations.markRead(user, frame.conversationId, frame.messageId);
        case "typing":
          return conversations.typing(user, frame.conversationId);
        case "set_status":
          await presence.setAppearOffline(user.id, frame.appearOffline);
          bus.publishToUser(
            user.id,
            JSON.stringify({ type: "status", appearOffline: frame.appearOffline }),
          );
          return;
        case "ping":
          return reply({ type: "pong" });
      }
    }

    socket.onclose = (event) => {
      release();
      const left = bus.remove(connection);
      presence.disconnected(user.id);
      log.info("socket.close", {
        user: user.username,
        conn: connection.id,
        code: event.code,
        sockets: left,
      });
    };
    socket.onerror = () => {}; // onclose follows and does the bookkeeping

    return c.body(null); // unused: the socket answered the upgrade itself
  });
}
