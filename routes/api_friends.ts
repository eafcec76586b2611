// /api/friends: requests, acceptance, removal and blocks. Live updates go out on the socket.
import { Hono } from "hono";
import { z } from "zod";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import type { Friendships } from "../lib/friendships.ts";
import { readJson } from "../lib/http.ts";

const byName = z.object({
  username: z.string({ error: "Name a user." }).min(1, "Name a user.").max(256),
});

export function friendApiRoutes(friendships: Friendships) {
  return new Hono<AuthEnv>()
    .get("/api/friends", async (c) => c.json(await friendships.view(requireSession(c).user.id)))
    .post("/api/friends/requests", async (c) => {
      const me = requireSession(c).user;
      const { username } = await readJson(c, byName);
      const outcome = await friendships.request(me, username);
      return c.json(
        { outcome, ...(await friendships.view(me.id)) },
        outcome === "requested" ? 201 : 200,
      );
    })
    .post("/api/friends/requests/:username/accept", async (c) => {
      const me = requireSession(c).user;
      await friendships.accept(me, c.req.param("username"));
      return c.json(await friendships.view(me.id));
    })
    .post("/api/friends/requests/:username/decline", async (c) => {
      await friendships.decline(requireSession(c).user, c.req.param("username"));
      return c.body(null, 204);
    })
    .delete("/api/friends/requests/:username", async (c) => {
      await friendships.cancel(requireSession(c).user, c.req.param("username"));
      return c.body(null, 204);
    })
    .delete("/api/friends/:username", async (c) => {
      await friendships.remove(requireSession(c).user, c.req.param("username"));
      return c.body(null, 204);
    })
    .post("/api/blocks", async (c) => {
      const me = requireSession(c).user;
      const { username } = await readJson(c, byName);
      await friendships.block(me, username);
      return c.json(await friendships.view(me.id), 201);
    })
    .delete("/api/blocks/:username", async (c) => {
      await friendships.unblock(requireSession(c).user, c.req.param("username"));
      return c.body(null, 204);
    });
}
