// Accounts: register, log in, change password — with throttling in front of the hasher.
import type { Config } from "./config.ts";
import { AppError, type FieldErrors } from "./errors.ts";
import type { Logger } from "./log.ts";
import { type Hasher, passwordProblem } from "./passwords.ts";
import type { Limiters } from "./limits.ts";
import type { Session, Sessions } from "./sessions.ts";
import type { Store, User } from "./store/types.ts";
import { normalizeUsername, usernameProblem } from "./usernames.ts";

export type Credentials = { username: string; password: string };
export type LoggedIn = { user: User; token: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function tooMany(seconds: number, message: string): AppError {
  return new AppError(429, "rate_limited", message, undefined, { "Retry-After": String(seconds) });
}

function invalid(fields: FieldErrors): AppError {
  return new AppError(400, "invalid_input", Object.values(fields)[0], fields);
}

/** A username as it may appear in the log: normalized, bounded, quoted by the logger. */
const forLog = (username: string) => normalizeUsername(username).slice(0, 64);

export function createAccounts(deps: {
  config: Config;
  store: Store;
  hasher: Hasher;
  sessions: Sessions;
  log: Logger;
  limiters: Limiters;
}) {
  const { config, store, hasher, sessions, log, limiters } = deps;
  const failedLogins = limiters("logins.failed", {
    limit: config.LOGIN_FAILURES_MAX,
    windowMs: config.LOGIN_FAILURE_WINDOW_S * 1000,
  });
  const loginsByAddress = limiters("logins.address", {
    limit: config.LOGIN_PER_IP_PER_MIN,
    windowMs: MINUTE_MS,
  });
  const registrationsByAddress = limiters("registrations.address", {
    limit: config.REGISTER_PER_IP_PER_HOUR,
    windowMs: HOUR_MS,
  });

  return {
    async register(input: Credentials & { confirm?: string }, address: string): Promise<LoggedIn> {
      const username = normalizeUsername(input.username);
      const fields: FieldErrors = {};
      const nameProblem = usernameProblem(username);
      if (nameProblem) fields.username = nameProblem;
      const secretProblem = passwordProblem(input.password);
      if (secretProblem) fields.password = secretProblem;
      else if (input.confirm !== undefined && input.confirm !== input.password) {
        fields.confirm = "The passwords do not match.";
      }
      if (Object.keys(fields).length) throw invalid(fields);
      const wait = await registrationsByAddress.take(address);
      if (wait) throw tooMany(wait, "Too many new accounts from your address; try again later.");
      if (await store.users.findByName(username)) throw taken();
      const passwordHash = await hasher.hash(input.password);
      const user = await store.users.create(username, passwordHash, Date.now());
      if (!user) throw taken(); // lost a race for the name
      log.info("account.registered", { user: user.username, id: user.id });
      const { token } = await sessions.create(user.id);
      return { user, token };
    },

    async login(input: Credentials, address: string): Promise<LoggedIn> {
      const username = normalizeUsername(input.username);
      const addressWait = await loginsByAddress.take(address);
      if (addressWait) {
        throw tooMany(addressWait, "Too many login attempts from your address; wait a minute.");
      }
      // Throttled accounts are refused before any hashing, whether the name exists or not.
      // The attempt counts as a failure from the start (cleared on success), so that parallel
      // guesses cannot all slip past the limit while their hashes run.
      const accountWait = await failedLogins.take(username);
      if (accountWait) {
        log.warn("login.throttled", { user: forLog(username) });
        throw tooMany(accountWait, "Too many failed logins for this account; try again later.");
      }
      const found = await store.users.findByName(username);
      const ok = found
        ? await hasher.verify(found.passwordHash, input.password)
        : await hasher.verifyDummy(input.password);
      if (!found || !ok) {
        log.info("login.failed", { user: forLog(username) });
        throw new AppError(401, "invalid_credentials", "Wrong username or password.");
      }
      await failedLogins.clear(username);
      const { token } = await sessions.create(found.id);
      log.info("login", { user: found.username, id: found.id });
      return { user: { id: found.id, username: found.username }, token };
    },

    async logout(session: Session): Promise<void> {
      await sessions.revoke(session.tokenHash);
      log.info("logout", { user: session.user.username, id: session.user.id });
    },

    async changePassword(session: Session, current: string, next: string): Promise<void> {
      const found = await store.users.findById(session.user.id);
      if (!found || !(await hasher.verify(found.passwordHash, current))) {
        throw new AppError(400, "invalid_input", "The current password is wrong.", {
          current: "The current password is wrong.",
        });
      }
      const problem = passwordProblem(next);
      if (problem) throw invalid({ new: problem });
      await store.users.setPasswordHash(found.id, await hasher.hash(next));
      await sessions.revokeAllOf(found.id, session.tokenHash);
      log.info("account.password_changed", { user: found.username, id: found.id });
    },
  };
}

function taken(): AppError {
  return new AppError(409, "username_taken", "This username is taken.", {
    username: "This username is taken.",
  });
}

export type Accounts = ReturnType<typeof createAccounts>;
