// One typed function per HTTP call the chat page makes. Each returns the value or a message
// fit to show the person, so no caller can forget that a call may fail.
import {
  type ConversationView,
  type EarlierText,
  HISTORY_PAGE,
  type MessageView,
  type RoomMemberView,
  type RoomView,
  type RoomVisibility,
} from "../../lib/wire.ts";

export type Result<T> =
  | { ok: true; value: T }
  /** unreached: no answer came (offline, or the page going away), so trying again may do. */
  | { ok: false; message: string; unreached?: true };
export type HistoryPage = { messages: MessageView[]; hasMore: boolean };
export type FriendRequestOutcome = "requested" | "accepted";

const name = (username: string) => encodeURIComponent(username);

export const sendFriendRequest = (username: string) =>
  call<{ outcome: FriendRequestOutcome }>("POST", "/api/friends/requests", { username })
    .then((result) => (result.ok ? { ok: true as const, value: result.value.outcome } : result));

export const acceptFriendRequest = (username: string) =>
  call("POST", `/api/friends/requests/${name(username)}/accept`);

export const declineFriendRequest = (username: string) =>
  call("POST", `/api/friends/requests/${name(username)}/decline`);

export const cancelFriendRequest = (username: string) =>
  call("DELETE", `/api/friends/requests/${name(username)}`);

export const removeFriend = (username: string) => call("DELETE", `/api/friends/${name(username)}`);

export const blockUser = (username: string) => call("POST", "/api/blocks", { username });

export const unblockUser = (username: string) => call("DELETE", `/api/blocks/${name(username)}`);

/** Opens (or finds) the direct conversation with a friend. */
export const openDirect = (username: string) =>
  call<{ conversation: ConversationView }>("POST", "/api/conversations", { with: username })
    .then((
      result,
    ) => (result.ok ? { ok: true as const, value: result.value.conversation } : result));

/** The page around a message: it, and up to half a page on each side. */
export const historyAround = (conversationId: number, messageId: number) =>
  call<HistoryPage & { hasNewer: boolean }>(
    "GET",
    `/api/conversations/${conversationId}/messages?limit=${HISTORY_PAGE}&around=${messageId}`,
  );

/** The page just after message `after`. */
export const historyAfter = (conversationId: number, after: number) =>
  call<{ messages: MessageView[]; hasNewer: boolean }>(
    "GET",
    `/api/conversations/${conversationId}/messages?limit=${HISTORY_PAGE}&after=${after}`,
  );

/** What a search finds, newest first; `before`: the page after the one ending at that id. */
export const searchMessages = (q: string, before?: number) => {
  const query = new URLSearchParams({ q, tz: String(new Date().getTimezoneOffset()) });
  if (before) query.set("before", String(before));
  return call<{ messages: MessageView[]; hasMore: boolean }>("GET", `/api/search?${query}`);
};

/** The newest page of a conversation, or the page just before message `before`. */
export function historyPage(conversationId: number, before?: number) {
  const query = `limit=${HISTORY_PAGE}${before ? `&before=${before}` : ""}`;
  return call<HistoryPage>("GET", `/api/conversations/${conversationId}/messages?${query}`);
}

/** An edited message's earlier texts, oldest first. */
export const earlierTexts = (messageId: number) =>
  call<{ earlier: EarlierText[] }>("GET", `/api/messages/${messageId}/edits`).then((result) =>
    result.ok ? { ok: true as const, value: result.value.earlier } : result
  );

// ---- rooms (the socket brings what changed to every tab; these say only how the call went) ----

const room = (id: number) => `/api/rooms/${id}`;
const value = <K extends string, T>(key: K) => (result: Result<Record<K, T>>): Result<T> =>
  result.ok ? { ok: true, value: result.value[key] } : result;

export const createRoom = (input: { name: string; topic: string; visibility: RoomVisibility }) =>
  call<{ room: RoomView }>("POST", "/api/rooms", input).then(value("room"));

/** Public rooms whose name or topic holds `q`, the fullest first. */
export const roomDirectory = (q: string) =>
  call<{ rooms: RoomView[] }>("GET", `/api/rooms?q=${encodeURIComponent(q)}`)
    .then(value("rooms"));

export const joinRoom = (id: number) =>
  call<{ room: RoomView }>("POST", `${room(id)}/join`).then(value("room"));

export const leaveRoom = (id: number) => call("POST", `${room(id)}/leave`);

export const updateRoom = (id: number, changes: { name?: string; topic?: string }) =>
  call<{ room: RoomView }>("PATCH", room(id), changes).then(value("room"));

export const deleteRoom = (id: number) => call("DELETE", room(id));

export const roomMembers = (id: number) =>
  call<{ members: RoomMemberView[] }>("GET", `${room(id)}/members`).then(value("members"));

export const inviteToRoom = (id: number, username: string) =>
  call<{ member: RoomMemberView }>("POST", `${room(id)}/members`, { username })
    .then(value("member"));

export const setRoomRole = (id: number, userId: number, role: "admin" | "member") =>
  call<{ member: RoomMemberView }>("PATCH", `${room(id)}/members/${userId}`, { role })
    .then(value("member"));

export const removeFromRoom = (id: number, userId: number) =>
  call("DELETE", `${room(id)}/members/${userId}`);

/** JSON to our own API; the browser adds Origin and the session cookie. */
async function call<T = void>(method: string, path: string, body?: unknown): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    console.warn(`${method} ${path} did not reach the server`, error);
    return {
      ok: false,
      message: "Could not reach the server. Check your connection and try again.",
      unreached: true,
    };
  }
  if (!response.ok) return { ok: false, message: await errorMessage(response) };
  if (response.status === 204) return { ok: true, value: undefined as T };
  try {
    return { ok: true, value: await response.json() as T };
  } catch (error) {
    console.error(`${method} ${path} answered with unreadable JSON`, error);
    return { ok: false, message: "The server's answer could not be read. Reload the page." };
  }
}

/** The server's own words for a failure (`{ error: { message } }`), or a plain fallback. */
async function errorMessage(response: Response): Promise<string> {
  const fallback = `Something went wrong (${response.status}).`;
  try {
    const body = await response.json();
    return typeof body?.error?.message === "string" ? body.error.message : fallback;
  } catch (error) {
    console.warn(`${response.status} from ${response.url} without a JSON error body`, error);
    return fallback;
  }
}
