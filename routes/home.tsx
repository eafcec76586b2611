import { Hono } from "hono";
import { Home } from "../components/Home.tsx";
import type { AuthEnv } from "../lib/auth.ts";
import { renderPage } from "../lib/pages.tsx";

export function homeRoutes() {
  return new Hono<AuthEnv>().get("/", async (c) => {
    const session = c.var.session;
    if (!session) return c.redirect("/login", 303);
    return c.html(await renderPage("UgoChat", <Home username={session.user.username} />));
  });
}
