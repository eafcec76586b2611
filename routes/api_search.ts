// GET /api/search: what the user's query finds among the messages they may see (lib/search.ts).
import { Hono } from "hono";
import { z } from "zod";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import { parseInput } from "../lib/http.ts";
import { SEARCH_PAGE } from "../lib/search.ts";
import { MAX_QUERY_CHARS } from "../lib/search_text.ts";
import type { Services } from "../lib/services.ts";

const searchQuery = z.object({
  q: z.string({ error: "Say what to search for (q)." }).max(MAX_QUERY_CHARS * 4),
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  tz: z.coerce.number().int().min(-14 * 60).max(14 * 60).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(SEARCH_PAGE),
});

export function searchApiRoutes(services: Pick<Services, "search">) {
  return new Hono<AuthEnv>().get("/api/search", async (c) => {
    const me = requireSession(c).user;
    const input = parseInput(searchQuery, c.req.query());
    return c.json(await services.search.search(me, input));
  });
}
