// The HTTP application: middleware, routes and the one error handler.
import { Hono } from "hono";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { healthRoutes } from "../routes/health.ts";
import { staticRoutes } from "../routes/static.ts";
import type { Config } from "./config.ts";
import { AppError, errorBody } from "./errors.ts";
import type { Logger } from "./log.ts";
import { renderPage } from "./pages.tsx";
import { securityHeaders } from "./security_headers.ts";
import type { Store } from "./store.ts";

export type AppDeps = { config: Config; store: Store; log: Logger };

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use(securityHeaders());
  app.route("/", staticRoutes());
  app.route("/", healthRoutes(deps.store));
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
  return app;
}

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
