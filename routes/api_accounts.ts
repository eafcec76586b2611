// JSON API for accounts: register, login, logout, me, password.
import { Hono } from "hono";
import { z } from "zod";
import type { Accounts } from "../lib/accounts.ts";
import { type AuthEnv, requireSession, type SessionCookie } from "../lib/auth.ts";
import type { Config } from "../lib/config.ts";
import { clientAddress, readJson } from "../lib/http.ts";
import { MAX_PASSWORD_CHARS } from "../lib/passwords.ts";
import { MAX_USERNAME_CHARS } from "../lib/usernames.ts";

// Bounds here only keep absurd bodies out; the real rules (and their messages) live in lib/.
// A body past them still hears the limit it broke, not "Enter a password.".
const tooLongName = `Use at most ${MAX_USERNAME_CHARS} characters.`;
const tooLongPassword = `Use at most ${MAX_PASSWORD_CHARS} characters.`;
const credentials = z.object({
  username: z.string({ error: "Enter a username." }).max(256, tooLongName),
  password: z.string({ error: "Enter a password." }).max(1024, tooLongPassword),
});
const passwordChange = z.object({
  current: z.string({ error: "Enter your current password." }).max(1024, tooLongPassword),
  new: z.string({ error: "Enter a new password." }).max(1024, tooLongPassword),
});

export function accountApiRoutes(
  deps: { config: Config; accounts: Accounts; cookie: SessionCookie },
) {
  const { config, accounts, cookie } = deps;
  return new Hono<AuthEnv>()
    .post("/api/register", async (c) => {
      const input = await readJson(c, credentials);
      const { user, token } = await accounts.register(input, clientAddress(c, config));
      cookie.set(c, token);
      return c.json({ user }, 201);
    })
    .post("/api/login", async (c) => {
      const input = await readJson(c, credentials);
      const { user, token } = await accounts.login(input, clientAddress(c, config));
      cookie.set(c, token);
      return c.json({ user });
    })
    .post("/api/logout", async (c) => {
      await accounts.logout(requireSession(c));
      cookie.clear(c);
      return c.body(null, 204);
    })
    .get("/api/me", (c) => c.json({ user: requireSession(c).user }))
    .post("/api/password", async (c) => {
      const session = requireSession(c);
      const input = await readJson(c, passwordChange);
      await accounts.changePassword(session, input.current, input.new);
      return c.body(null, 204);
    });
}
