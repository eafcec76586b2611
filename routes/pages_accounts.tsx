// The login and registration pages, and the logout button's target.
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { type FormState, LoginForm, RegisterForm } from "../components/AuthForms.tsx";
import type { Accounts } from "../lib/accounts.ts";
import type { AuthEnv, SessionCookie } from "../lib/auth.ts";
import type { Config } from "../lib/config.ts";
import { AppError, type FieldErrors } from "../lib/errors.ts";
import { clientAddress } from "../lib/http.ts";
import { renderPage } from "../lib/pages.tsx";
import { MAX_PASSWORD_CHARS } from "../lib/passwords.ts";
import { MAX_USERNAME_CHARS } from "../lib/usernames.ts";

// Bounds that keep absurd input away from the hasher; past them the form says which limit.
const FIELD_MAX = { username: 256, password: 1024, confirm: 1024 } as const;
const TOO_LONG = {
  username: `Use at most ${MAX_USERNAME_CHARS} characters.`,
  password: `Use at most ${MAX_PASSWORD_CHARS} characters.`,
  confirm: `Use at most ${MAX_PASSWORD_CHARS} characters.`,
};
const form = z.object({
  username: z.string().catch(""),
  password: z.string().catch(""),
  confirm: z.string().catch(""),
});

async function readForm(c: Context) {
  const body = await c.req.parseBody().catch(() => ({}));
  return form.parse({ username: "", password: "", confirm: "", ...body });
}

function checkLengths(input: z.infer<typeof form>) {
  const fields: FieldErrors = {};
  for (const name of ["username", "password", "confirm"] as const) {
    if (input[name].length > FIELD_MAX[name]) fields[name] = TOO_LONG[name];
  }
  if (Object.keys(fields).length) {
    throw new AppError(400, "invalid_input", "Check the form.", fields);
  }
}

/** Shows a failed form again with the errors in place; unexpected errors go to onError. */
function formFailure(
  error: unknown,
  username: string,
): { state: FormState; status: 400 | 401 | 409 | 429 | 503 } {
  if (!(error instanceof AppError)) throw error;
  const status = error.status as 400 | 401 | 409 | 429 | 503;
  const fields = error.fields;
  return {
    state: { username, errors: fields, message: fields ? undefined : error.message },
    status,
  };
}

export function accountPageRoutes(
  deps: { config: Config; accounts: Accounts; cookie: SessionCookie },
) {
  const { config, accounts, cookie } = deps;
  const loggedInGoHome = (c: Context<AuthEnv>) => (c.var.session ? c.redirect("/", 303) : null);
  return new Hono<AuthEnv>()
    .get(
      "/login",
      async (c) => loggedInGoHome(c) ?? c.html(await renderPage("Log in", <LoginForm />)),
    )
    .get(
      "/register",
      async (c) =>
        loggedInGoHome(c) ?? c.html(await renderPage("Create account", <RegisterForm />)),
    )
    .post("/login", async (c) => {
      const input = await readForm(c);
      try {
        checkLengths(input);
        const { token } = await accounts.login(input, clientAddress(c, config));
        cookie.set(c, token);
        return c.redirect("/", 303);
      } catch (error) {
        const { state, status } = formFailure(error, input.username);
        return c.html(await renderPage("Log in", <LoginForm {...state} />), status);
      }
    })
    .post("/register", async (c) => {
      const input = await readForm(c);
      try {
        checkLengths(input);
        const { token } = await accounts.register(input, clientAddress(c, config));
        cookie.set(c, token);
        return c.redirect("/", 303);
      } catch (error) {
        const { state, status } = formFailure(error, input.username);
        return c.html(await renderPage("Create account", <RegisterForm {...state} />), status);
      }
    })
    .post("/logout", async (c) => {
      if (c.var.session) await accounts.logout(c.var.session);
      cookie.clear(c);
      return c.redirect("/login", 303);
    });
}
