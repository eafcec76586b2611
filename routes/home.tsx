import { Hono } from "hono";
import { ChatPage } from "../components/ChatPage.tsx";
import type { AuthEnv } from "../lib/auth.ts";
import { renderPage } from "../lib/pages.tsx";
import type { Services } from "../lib/services.ts";
import { LOBBY_ID } from "../lib/wire.ts";

const FIRST_PAGE = 50;

/** The chat page; its first paint (friends, the Lobby's latest messages) comes from here. */
export function homeRoutes(services: Pick<Services, "snapshot" | "messages">) {
  return new Hono<AuthEnv>().get("/", async (c) => {
    const session = c.var.session;
    if (!session) return c.redirect("/login", 303);
    const [snapshot, lobby] = await Promise.all([
      services.snapshot(session.user),
      services.messages.history(session.user, LOBBY_ID, Number.MAX_SAFE_INTEGER, FIRST_PAGE),
    ]);
    c.header("Cache-Control", "no-store");
    return c.html(
      await renderPage(
        "UgoChat",
        <ChatPage snapshot={snapshot} lobby={lobby} hasMore={lobby.length === FIRST_PAGE} />,
      ),
    );
  });
}
