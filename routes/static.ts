// Files under static/. A request carrying ?v= names one exact content hash
// (see lib/assets.ts), so its answer may be cached for a year.
import { Hono } from "hono";
import { serveStatic } from "hono/deno";

const STATIC_ROOT = new URL("../", import.meta.url).pathname;
const YEAR_S = 365 * 24 * 3600;

export function staticRoutes() {
  return new Hono().use(
    "/static/*",
    async function staticCacheHeaders(c, next) {
      await next();
      if (c.res.status !== 200) return;
      c.header(
        "Cache-Control",
        c.req.query("v") ? `public, max-age=${YEAR_S}, immutable` : "no-cache",
      );
    },
    serveStatic({ root: STATIC_ROOT }),
  );
}
