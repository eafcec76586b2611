// /api/conversations: history, and opening a direct conversation with a friend; /api/messages:
// an edited message's earlier texts.
import { Hono } from "hono";
import { z } from "zod";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import { AppError } from "../lib/errors.ts";
import { parseInput, readJson } from "../lib/http.ts";
import type { Services } from "../lib/services.ts";
import { HISTORY_PAGE } from "../lib/wire.ts";
import { normalizeUsername } from "../lib/usernames.ts";

const MAX_PAGE = 100;
const messageId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const historyQuery = z.object({
  before: messageId.optional(),
  after: messageId.optional(),
  around: messageId.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(HISTORY_PAGE),
}).refine((q) => [q.before, q.after, q.around].filter((x) => x !== undefined).length <= 1, {
  error: "Ask for one of before, after and around.",
});
const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const openDirect = z.object({ with: z.string({ error: "Name a friend." }).min(1).max(256) });

export function conversationApiRoutes(
  services: Pick<Services, "store" | "conversations" | "messages" | "messageChanges">,
) {
  const { store, conversations, messages, messageChanges } = services;
  return new Hono<AuthEnv>()
    .get("/api/conversations/:id/messages", async (c) => {
      const me = requireSession(c).user;
      const id = positiveId.safeParse(c.req.param("id"));
      if (!id.success) throw new AppError(404, "not_found", "No such conversation.");
      const query = parseInput(historyQuery, c.req.query());
      if (query.after !== undefined) {
        return c.json(await messages.newer(me, id.data, query.after, query.limit));
      }
      if (query.around !== undefined) {
        return c.json(await messages.around(me, id.data, query.around, query.limit));
      }
      const page = await messages.history(
        me,
        id.data,
        query.before ?? Number.MAX_SAFE_INTEGER,
        query.limit,
      );
      return c.json({ messages: page, hasMore: page.length === query.limit });
    })
    .get("/api/messages/:id/edits", async (c) => {
      const me = requireSession(c).user;
      const id = positiveId.safeParse(c.req.param("id"));
      if (!id.success) throw new AppError(404, "not_found", "No such message.");
      return c.json({ earlier: await messageChanges.earlierTexts(me, id.data) });
    })
    .post("/api/conversations", async (c) => {
      const me = requireSession(c).user;
      const input = await readJson(c, openDirect);
      const friend = await store.users.findByName(normalizeUsername(input.with));
      if (!friend) {
        throw new AppError(404, "no_such_user", `There is no user called ${input.with}.`);
      }
      const conversation = await conversations.openDirect(me, {
        id: friend.id,
        username: friend.username,
      });
      return c.json({ conversation });
    });
}
