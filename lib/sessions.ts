// Sessions: a random token in an HttpOnly cookie; the database keeps only its SHA-256.
import type { SessionRow, Store, User } from "./store/types.ts";

export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 90 * 24 * 3600_000;
const TOUCH_EVERY_MS = 60_000; // last-seen is coarse on purpose: no write on every request
const TOKEN_BYTES = 32;

export type Session = { tokenHash: Uint8Array; user: User };

export async function hashToken(token: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
}

/** Listeners told when sessions end, so that their open sockets can be closed. */
export type RevocationListener = (tokenHashes: Uint8Array[]) => void;

export function createSessions(store: Store, now: () => number = Date.now) {
  const listeners = new Set<RevocationListener>();
  const announce = (hashes: Uint8Array[]) =>
    hashes.length && listeners.forEach((listen) => listen(hashes));

  function isLive(row: SessionRow, at: number): boolean {
    return at < row.expiresAt && at < row.lastSeenAt + SESSION_IDLE_MS;
  }

  return {
    onRevoke(listener: RevocationListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async create(userId: number): Promise<{ token: string; tokenHash: Uint8Array }> {
      const token = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))
        .toBase64({ alphabet: "base64url", omitPadding: true });
      const tokenHash = await hashToken(token);
      const at = now();
      await store.sessions.insert({
        tokenHash,
        userId,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: at + SESSION_ABSOLUTE_MS,
      });
      return { token, tokenHash };
    },
    /** The live session a token names, or null; refreshes its last-seen time now and then. */
    async resolve(token: string | undefined): Promise<Session | null> {
      if (!token || token.length > 100) return null;
      const tokenHash = await hashToken(token);
      const row = await store.sessions.find(tokenHash);
      const at = now();
      if (!row) return null;
      if (!isLive(row, at)) {
        await store.sessions.delete(tokenHash);
        return null;
      }
      const user = await store.users.findById(row.userId);
      if (!user) return null;
      if (at - row.lastSeenAt > TOUCH_EVERY_MS) await store.sessions.touch(tokenHash, at);
      return { tokenHash, user: { id: user.id, username: user.username } };
    },
    async revoke(tokenHash: Uint8Array): Promise<void> {
      await store.sessions.delete(tokenHash);
      announce([tokenHash]);
    },
    async revokeAllOf(userId: number, keep?: Uint8Array): Promise<void> {
      announce(await store.sessions.deleteAllOf(userId, keep));
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
