// The session cookie and the middleware that turns it into c.var.session.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "./config.ts";
import { AppError } from "./errors.ts";
import { type Session, SESSION_ABSOLUTE_MS, type Sessions } from "./sessions.ts";

export type AuthEnv = { Variables: { session: Session | null } };

const COOKIE = "ugochat_session";

/** HttpOnly, SameSite=Lax; over https also Secure with the __Host- prefix. */
export function sessionCookie(config: Config) {
  const secure = config.PUBLIC_ORIGIN?.startsWith("https:") ?? false;
  const prefix = secure ? "host" as const : undefined;
  return {
    name: secure ? `__Host-${COOKIE}` : COOKIE,
    read: (c: Context) => prefix ? getCookie(c, COOKIE, prefix) : getCookie(c, COOKIE),
    set: (c: Context, token: string) =>
      setCookie(c, COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure,
        prefix,
        maxAge: SESSION_ABSOLUTE_MS / 1000,
      }),
    clear: (c: Context) => deleteCookie(c, COOKIE, { path: "/", secure, prefix }),
  };
}

export type SessionCookie = ReturnType<typeof sessionCookie>;

/** Puts the request's live session (or null) in c.var.session. */
export function loadSession(sessions: Sessions, cookie: SessionCookie): MiddlewareHandler<AuthEnv> {
  return async function loadSession(c, next) {
    c.set("session", await sessions.resolve(cookie.read(c)));
    await next();
  };
}

export function requireSession(c: Context<AuthEnv>): Session {
  const session = c.var.session;
  if (!session) throw new AppError(401, "unauthenticated", "Log in first.");
  return session;
}
