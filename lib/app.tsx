// The HTTP application: middleware, routes and the one error handler.
import { Hono } from "hono";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { accountApiRoutes } from "../routes/api_accounts.ts";
import { conversationApiRoutes } from "../routes/api_conversations.ts";
import { friendApiRoutes } from "../routes/api_friends.ts";
import { chatSocketRoutes } from "../routes/ws.ts";
import { createRealtime } from "./realtime.ts";
import { healthRoutes } from "../routes/health.ts";
import { homeRoutes } from "../routes/home.tsx";
import { accountPageRoutes } from "../routes/pages_accounts.tsx";
import { staticRoutes } from "../routes/static.ts";
import { bodyLimit } from "hono/body-limit";
import { createAccounts } from "./accounts.ts";
import { type AuthEnv, loadSession, sessionCookie } from "./auth.ts";
import type { Config } from "./config.ts";
import { AppError, errorBody } from "./errors.ts";
import type { Logger } from "./log.ts";
import { renderPage } from "./pages.tsx";
import { originGuard } from "./origin_guard.ts";
import { createHasher } from "./passwords.ts";
import { MAX_FRAME_BYTES } from "./protocol.ts";
import { securityHeaders } from "./security_headers.ts";
import { createSessions, type Sessions } from "./sessions.ts";
import type { Store } from "./store.ts";
import { createWebSockets } from "./websockets.ts";

export type AppDeps = { config: Config; store: Store; log: Logger; sessions?: Sessions };

const MAX_BODY_BYTES = 64 * 1024;

export function createApp(deps: AppDeps) {
  return createAppWithServices(deps).app;
}

/** The app and the services behind it, which the realtime layer and tests share. */
export function createAppWithServices(deps: AppDeps) {
  const { config, store, log } = deps;
  const sessions = deps.sessions ?? createSessions(store);
  const hasher = createHasher(config.HASH_CONCURRENCY, config.HASH_QUEUE_MAX);
  const accounts = createAccounts({ config, store, hasher, sessions, log });
  const cookie = sessionCookie(config);
  const realtime = createRealtime({ config, store, sessions, log });
  // Frames over the limit are refused at their header, before their payload is read.
  const websockets = createWebSockets({
    maxFrameBytes: MAX_FRAME_BYTES,
    heartbeatMs: config.HEARTBEAT_S * 1000,
  });

  const app = new Hono<AuthEnv>();
  app.use(securityHeaders());
  app.route("/", staticRoutes());
  app.route("/", healthRoutes(store));
  app.use(originGuard(config));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError(413, "too_large", "The request body is too large.");
      },
    }),
  );
  app.use(loadSession(sessions, cookie));
  app.route("/", chatSocketRoutes({ config, realtime, websockets, log }));
  app.route("/", friendApiRoutes(realtime.friendships));
  app.route("/", conversationApiRoutes({ store, conversations: realtime.conversations }));
  app.route("/", accountApiRoutes({ config, accounts, cookie }));
  app.route("/", accountPageRoutes({ config, accounts, cookie }));
  app.route("/", homeRoutes(realtime));
  app.notFound((c) => respondWithError(c, 404, "not_found", "Nothing is here."));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return respondWithError(c, error.status, error.code, error.message, error.fields);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return respondWithError(c, error.status, "bad_request", error.message || "Bad request.");
    }
    deps.log.error("http.error", { method: c.req.method, path: c.req.path }, error);
    return respondWithError(c, 500, "internal", "Something went wrong on our side.");
  });
  return { app, sessions, hasher, accounts, cookie, realtime, websockets };
}

export type Services = Omit<ReturnType<typeof createAppWithServices>, "app">;

function wantsHtml(c: Context): boolean {
  if (c.req.path.startsWith("/api/")) return false;
  return (c.req.header("Accept") ?? "").includes("text/html");
}

async function respondWithError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  fields?: Record<string, string>,
) {
  if (!wantsHtml(c)) return c.json(errorBody(code, message, fields), status);
  const html = await renderPage("Error", <ErrorPage status={status} message={message} />);
  return c.html(html, status);
}
