// CSRF defence: a state-changing request from another site is refused, forms and JSON alike.
// Browsers send Origin on every cross-site POST and Sec-Fetch-Site on all requests;
// clients that send neither (curl, bots) are not browsers and cannot be ridden.
import type { MiddlewareHandler } from "hono";
import type { Config } from "./config.ts";
import { AppError } from "./errors.ts";
import { ourOrigin } from "./http.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function originGuard(config: Config): MiddlewareHandler {
  return async function originGuard(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("Origin");
      const site = c.req.header("Sec-Fetch-Site");
      if (site === "cross-site" || (origin !== undefined && origin !== ourOrigin(c, config))) {
        throw new AppError(403, "forbidden_origin", "This request came from another site.");
      }
    }
    await next();
  };
}
