// GET /ws: the chat socket. Only for a live session and our own Origin; the socket session
// (lib/realtime/socket_session.ts) takes it from there.
import { Hono } from "hono";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import { AppError } from "../lib/errors.ts";
import { ourOrigin } from "../lib/http.ts";
import { upgradeOf } from "../lib/http_server.ts";
import { startSocketSession } from "../lib/realtime/socket_session.ts";
import type { Services } from "../lib/services.ts";

const SEQ = /^\d{1,15}$/;

export function chatSocketRoutes(
  services: Pick<Services, "config" | "hub" | "websockets" | "socketSession" | "socketSlots">,
) {
  const { config, hub, websockets, socketSlots } = services;
  const tooMany = () =>
    new AppError(
      429,
      "too_many_sockets",
      `At most ${config.SOCKETS_PER_USER} open chat sockets per user.`,
    );
  return new Hono<AuthEnv>().get("/ws", async (c) => {
    if (c.req.header("Origin") !== ourOrigin(c, config)) {
      throw new AppError(403, "forbidden_origin", "The chat socket only opens from this site.");
    }
    const session = requireSession(c);
    const upgrade = upgradeOf(c);
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket" || !upgrade) {
      throw new AppError(426, "upgrade_required", "Open this with a WebSocket.");
    }
    // This instance's count first (it holds through a Redis outage), then every instance's.
    const release = hub.reserve(session.user.id, config.SOCKETS_PER_USER);
    if (!release) throw tooMany();
    const leave = await socketSlots.reserve(session.user.id, config.SOCKETS_PER_USER);
    if (!leave) {
      release();
      throw tooMany();
    }
    const after = c.req.query("after");
    startSocketSession(services.socketSession, websockets.accept(upgrade), {
      user: session.user,
      sessionKey: session.tokenHash.toHex(),
      after: after !== undefined && SEQ.test(after) ? Number(after) : null,
      release,
      leave,
    });
    return c.body(null); // unused: the socket answered the upgrade itself
  });
}
