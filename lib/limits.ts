// Rate limits as every instance sees them: a named limiter per kind of act (sends, logins,
// registrations), keyed by user, account or address. One process counts in memory
// (lib/rate_limits.ts); instances sharing Redis count there, so that a limit holds however
// many instances a client spreads its requests over.
import { createRateLimiter } from "./rate_limits.ts";

export type Limit = { limit: number; windowMs: number };

export type Limiter = {
  /** Records a hit and resolves 0 when allowed; else resolves the wait in whole seconds. */
  take(key: string): Promise<number>;
  /** Forgets the key's hits (a successful login clears its failures). */
  clear(key: string): Promise<void>;
};

/** Makes the limiter of one kind of act; the name keeps kinds apart where they are shared. */
export type Limiters = (name: string, limit: Limit) => Limiter;

export const memoryLimiters: Limiters = (_name, limit) => {
  const counts = createRateLimiter(limit);
  return {
    take: (key) => Promise.resolve(counts.take(key)),
    clear: (key) => Promise.resolve(counts.clear(key)),
  };
};
