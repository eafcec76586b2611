// /api/rooms: create, find, the directory, rename, delete; join, leave; members, invitations,
// roles and removals. Live updates go out on the socket. A room you are not in is a 404.
import { Hono } from "hono";
import { z } from "zod";
import { type AuthEnv, requireSession } from "../lib/auth.ts";
import { AppError } from "../lib/errors.ts";
import { parseInput, readJson } from "../lib/http.ts";
import type { Services } from "../lib/services.ts";

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
// Generous at the edge; lib/room_names.ts says what a name and a topic may be.
const text = z.string().max(1024);
const roomInput = z.object({
  name: z.string({ error: "Name the room." }).max(1024),
  topic: text.optional(),
  visibility: z.enum(["private", "public"], { error: "A room is private or public." }),
});
const roomChanges = z.object({ name: text.optional(), topic: text.optional() }).refine(
  (changes) => changes.name !== undefined || changes.topic !== undefined,
  { message: "Change the name or the topic." },
);
const directoryQuery = z.object({ q: z.string().max(256).default("") });
const invitation = z.object({
  username: z.string({ error: "Name a friend." }).min(1, "Name a friend.").max(256),
});
const roleInput = z.object({
  role: z.enum(["admin", "member"], { error: "A role is admin or member." }),
});

/** The id in the path; one that cannot be a room's is no room. */
function idOf(value: string | undefined, what = "room"): number {
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new AppError(404, "not_found", `No such ${what}.`);
  return parsed.data;
}

export function roomApiRoutes(services: Pick<Services, "rooms" | "roomMembers">) {
  const { rooms, roomMembers } = services;
  return new Hono<AuthEnv>()
    .post("/api/rooms", async (c) => {
      const room = await rooms.create(requireSession(c).user, await readJson(c, roomInput));
      return c.json({ room }, 201);
    })
    .get("/api/rooms", async (c) => {
      const { q } = parseInput(directoryQuery, c.req.query());
      return c.json({ rooms: await rooms.directory(requireSession(c).user, q) });
    })
    .get("/api/rooms/:id", async (c) => {
      const room = await rooms.find(requireSession(c).user, idOf(c.req.param("id")));
      return c.json({ room });
    })
    .patch("/api/rooms/:id", async (c) => {
      const me = requireSession(c).user;
      const changes = await readJson(c, roomChanges);
      return c.json({ room: await rooms.update(me, idOf(c.req.param("id")), changes) });
    })
    .delete("/api/rooms/:id", async (c) => {
      await rooms.delete(requireSession(c).user, idOf(c.req.param("id")));
      return c.body(null, 204);
    })
    .post("/api/rooms/:id/join", async (c) => {
      const me = requireSession(c).user;
      const roomId = idOf(c.req.param("id"));
      await roomMembers.join(me, roomId);
      return c.json({ room: await rooms.find(me, roomId) });
    })
    .post("/api/rooms/:id/leave", async (c) => {
      await roomMembers.leave(requireSession(c).user, idOf(c.req.param("id")));
      return c.body(null, 204);
    })
    .get("/api/rooms/:id/members", async (c) => {
      const members = await roomMembers.list(requireSession(c).user, idOf(c.req.param("id")));
      return c.json({ members });
    })
    .post("/api/rooms/:id/members", async (c) => {
      const me = requireSession(c).user;
      const { username } = await readJson(c, invitation);
      const member = await roomMembers.invite(me, idOf(c.req.param("id")), username);
      return c.json({ member }, 201);
    })
    .patch("/api/rooms/:id/members/:userId", async (c) => {
      const me = requireSession(c).user;
      const { role } = await readJson(c, roleInput);
      const roomId = idOf(c.req.param("id"));
      const memberId = idOf(c.req.param("userId"), "member");
      return c.json({ member: await roomMembers.setRole(me, roomId, memberId, role) });
    })
    .delete("/api/rooms/:id/members/:userId", async (c) => {
      const me = requireSession(c).user;
      const roomId = idOf(c.req.param("id"));
      await roomMembers.remove(me, roomId, idOf(c.req.param("userId"), "member"));
      return c.body(null, 204);
    });
}
