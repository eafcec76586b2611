// What the page keeps in this browser for one account, so that a reload, a crash or a closed
// tab loses nothing typed: a draft per conversation, and the outbox of messages not yet stored.
// Other tabs of the same account share it; each change is read-modify-write, entry by entry,
// so that one tab does not overwrite what another saved.
import type { PendingMessage } from "./state.ts";

type Drafts = Record<string, string>;

const key = (userId: number, part: "drafts" | "outbox") => `ugochat:${userId}:${part}`;

function read<T>(name: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(name);
    return raw ? JSON.parse(raw) as T : fallback;
  } catch (error) {
    console.warn(`saved ${name} could not be read`, error);
    return fallback;
  }
}

function write(name: string, value: unknown) {
  try {
    localStorage.setItem(name, JSON.stringify(value));
  } catch (error) { // full or disabled storage: the page still works, it only forgets on reload
    console.warn(`${name} could not be saved`, error);
  }
}

export const savedDrafts = (userId: number): Drafts => read<Drafts>(key(userId, "drafts"), {});

export function saveDraft(userId: number, conversationId: number, text: string) {
  const drafts = savedDrafts(userId);
  if (text) drafts[conversationId] = text;
  else delete drafts[conversationId];
  write(key(userId, "drafts"), drafts);
}

export const savedOutbox = (userId: number): PendingMessage[] =>
  read<PendingMessage[]>(key(userId, "outbox"), []);

/** Keeps the outbox's entries in step with one tab's change from `before` to `after`. */
export function saveOutboxChange(
  userId: number,
  before: PendingMessage[],
  after: PendingMessage[],
) {
  const gone = new Set(before.map((p) => p.clientId));
  for (const p of after) gone.delete(p.clientId);
  const changed = after.filter((p) => !before.includes(p));
  if (gone.size === 0 && changed.length === 0) return;
  const byId = new Map(savedOutbox(userId).map((p) => [p.clientId, p]));
  for (const clientId of gone) byId.delete(clientId);
  for (const p of changed) byId.set(p.clientId, p);
  write(key(userId, "outbox"), [...byId.values()]);
}

/** Logging out forgets what this account left here: the next person may use this browser. */
export function forgetSaved(userId: number) {
  localStorage.removeItem(key(userId, "drafts"));
  localStorage.removeItem(key(userId, "outbox"));
}
