import { Hono } from "hono";
import { ChatPage } from "../components/ChatPage.tsx";
import type { AuthEnv } from "../lib/auth.ts";
import { renderPage } from "../lib/pages.tsx";
import type { Services } from "../lib/services.ts";
import { HISTORY_PAGE, LOBBY_ID } from "../lib/wire.ts";

/** The chat page; its first paint (friends, the Lobby's latest messages) comes from here. */
export function homeRoutes(services: Pick<Services, "config" | "snapshot" | "messages">) {
  const { config } = services;
  return new Hono<AuthEnv>().get("/", async (c) => {
    const session = c.var.session;
    if (!session) return c.redirect("/login", 303);
    const [snapshot, lobby] = await Promise.all([
      services.snapshot(session.user),
      services.messages.history(session.user, LOBBY_ID, Number.MAX_SAFE_INTEGER, HISTORY_PAGE),
    ]);
    c.header("Cache-Control", "no-store");
    return c.html(
      await renderPage(
        "UgoChat",
        <ChatPage
          snapshot={snapshot}
          lobby={lobby}
          hasMore={lobby.length === HISTORY_PAGE}
          heartbeatMs={config.HEARTBEAT_S * 1000}
        />,
      ),
    );
  });
}
