// The HTTP application: middleware, routes and the one error handler.
import { Hono } from "hono";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { accountApiRoutes } from "../routes/api_accounts.ts";
import { conversationApiRoutes } from "../routes/api_conversations.ts";
import { searchApiRoutes } from "../routes/api_search.ts";
import { friendApiRoutes } from "../routes/api_friends.ts";
import { roomApiRoutes } from "../routes/api_rooms.ts";
import { chatSocketRoutes } from "../routes/ws.ts";
import { healthRoutes } from "../routes/health.ts";
import { homeRoutes } from "../routes/home.tsx";
import { accountPageRoutes } from "../routes/pages_accounts.tsx";
import { staticRoutes } from "../routes/static.ts";
import { bodyLimit } from "hono/body-limit";
import { type AuthEnv, loadSession, sessionCookie } from "./auth.ts";
import { AppError, errorBody, type ErrorCode } from "./errors.ts";
import { renderPage } from "./pages.tsx";
import { MAX_PASSWORD_CHARS } from "./passwords.ts";
import { MAX_USERNAME_CHARS } from "./usernames.ts";
import { originGuard } from "./origin_guard.ts";
import { securityHeaders } from "./security_headers.ts";
import type { Services } from "./services.ts";

const MAX_BODY_BYTES = 64 * 1024;

const TOO_LARGE_FORM =
  `That was too much to send: a username has at most ${MAX_USERNAME_CHARS} characters, a password at most ${MAX_PASSWORD_CHARS}.`;

/** The HTTP application over the services: every route, and the one error handler. */
export function createApp(services: Services) {
  const { config, store, sessions, accounts, log } = services;
  const cookie = sessionCookie(config);
  const app = new Hono<AuthEnv>();
  app.use(securityHeaders());
  app.route("/", staticRoutes());
  app.route("/", healthRoutes(store, services.broker));
  app.use(originGuard(config));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // An account form this large holds a pasted novel: say which limits it broke.
        const form = c.req.path === "/login" || c.req.path === "/register";
        throw new AppError(
          413,
          "too_large",
          form ? TOO_LARGE_FORM : "The request body is too large.",
        );
      },
    }),
  );
  app.use(loadSession(sessions, cookie));
  app.route("/", chatSocketRoutes(services));
  app.route("/", friendApiRoutes(services.friendships));
  app.route("/", conversationApiRoutes(services));
  app.route("/", searchApiRoutes(services));
  app.route("/", roomApiRoutes(services));
  app.route("/", accountApiRoutes({ config, accounts, cookie }));
  app.route("/", accountPageRoutes({ config, accounts, cookie }));
  app.route("/", homeRoutes(services));
  app.notFound((c) => respondWithError(c, 404, "not_found", "Nothing is here."));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return respondWithError(c, error.status, error.code, error.message, error.fields);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return respondWithError(c, error.status, "bad_request", error.message || "Bad request.");
    }
    log.error("http.error", { method: c.req.method, path: c.req.path }, error);
    return respondWithError(c, 500, "internal", "Something went wrong on our side.");
  });
  return app;
}

function wantsHtml(c: Context): boolean {
  if (c.req.path.startsWith("/api/")) return false;
  return (c.req.header("Accept") ?? "").includes("text/html");
}

async function respondWithError(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
) {
  if (!wantsHtml(c)) return c.json(errorBody(code, message, fields), status);
  const html = await renderPage("Error", <ErrorPage status={status} message={message} />);
  return c.html(html, status);
}
