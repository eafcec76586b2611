// The chat page's client state: one socket and one set of signals, shared by the islands.
// On the server each island builds a throwaway store from its own props; in the browser
// there is one store for the page, fed by both islands' props and then by the socket.
import { batch, signal } from "@preact/signals";
import type { ClientFrame } from "../lib/protocol.ts";
import {
  applyEvent,
  CLOSE,
  type ConversationView,
  HISTORY_PAGE,
  LOBBY_ID,
  type MessageView,
  type ServerFrame,
  type Snapshot,
  TYPING_SHOWN_MS,
} from "../lib/wire.ts";

export type PendingMessage = {
  clientId: string;
  conversationId: number;
  text: string;
  status: "sending" | "failed";
  error?: string;
};

export type ConversationPart = {
  me: { id: number; username: string };
  activeId: number;
  messages: MessageView[];
  hasMore: boolean;
};

const PONG_WITHIN_MS = 10_000;

export function createChatStore() {
  const snapshot = signal<Snapshot | null>(null);
  const me = signal<{ id: number; username: string } | null>(null);
  const activeId = signal(LOBBY_ID);
  const messages = signal(new Map<number, MessageView[]>());
  const hasMore = signal(new Map<number, boolean>());
  const pending = signal<PendingMessage[]>([]);
  const connection = signal<"connecting" | "live" | "reconnecting">("connecting");
  const typing = signal(new Map<number, Map<string, number>>());
  const drawerOpen = signal(false);
  let cursor = 0; // the highest message id this page has seen: resume from here
  let socket: WebSocket | null = null;
  let started = false;
  let attempts = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const see = (id: number) => (cursor = Math.max(cursor, id));

  function absorbSnapshot(next: Snapshot) {
    snapshot.value = next;
    me.value = { id: next.me.id, username: next.me.username };
    for (const conversation of next.conversations) see(conversation.latest?.id ?? 0);
  }

  function absorbConversation(part: ConversationPart) {
    me.value ??= part.me;
    activeId.value = part.activeId;
    setMessages(part.activeId, part.messages, part.hasMore);
  }

  function setMessages(conversationId: number, list: MessageView[], more: boolean) {
    const map = new Map(messages.value);
    map.set(conversationId, mergeById(map.get(conversationId) ?? [], list));
    messages.value = map;
    const moreMap = new Map(hasMore.value);
    moreMap.set(conversationId, more);
    hasMore.value = moreMap;
    for (const message of list) see(message.id);
  }

  function addMessage(message: MessageView) {
    see(message.id);
    const loaded = messages.value.get(message.conversationId);
    if (loaded) {
      const map = new Map(messages.value);
      map.set(message.conversationId, mergeById(loaded, [message]));
      messages.value = map;
    }
    if (pending.value.some((p) => p.clientId === message.clientId)) {
      pending.value = pending.value.filter((p) => p.clientId !== message.clientId);
    }
    clearTyping(message.conversationId, message.sender.username);
  }

  function transmit(frame: ClientFrame): boolean {
    if (socket?.readyState !== WebSocket.OPEN || connection.value !== "live") return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function handle(frame: ServerFrame) {
    switch (frame.type) {
      case "snapshot":
        return absorbSnapshot(frame.snapshot);
      case "caught_up":
        see(frame.lastMessageId);
        connection.value = "live";
        attempts = 0;
        for (const p of pending.value) if (p.status === "sending") sendPending(p); // same clientId: safe
        return markActiveRead();
      case "resync": {
        messages.value = new Map();
        hasMore.value = new Map();
        return void loadHistory(activeId.value);
      }
      case "message":
        batch(() => {
          addMessage(frame.message);
          if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        });
        return markActiveRead();
      case "ack": {
        const sent = pending.value.find((p) => p.clientId === frame.clientId);
        if (sent && me.value) {
          addMessage({
            id: frame.id,
            conversationId: frame.conversationId,
            sender: me.value,
            text: sent.text.trim(),
            at: frame.at,
            clientId: frame.clientId,
          });
        }
        return;
      }
      case "error":
        if (frame.clientId) {
          pending.value = pending.value.map((p) =>
            p.clientId === frame.clientId ? { ...p, status: "failed", error: frame.message } : p
          );
        }
        return;
      case "typing":
        return showTyping(frame.conversationId, frame.user.username);
      case "pong":
        clearTimeout(pongTimer);
        return;
      default:
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws${cursor ? `?after=${cursor}` : ""}`);
    socket = ws;
    ws.onmessage = (event) => handle(JSON.parse(event.data));
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      clearTimeout(pongTimer);
      if (event.code === CLOSE.SESSION_ENDED) return location.assign("/login");
      connection.value = "reconnecting";
      // Back off: 0.5 s, 1 s, 2 s … up to 10 s, with jitter so a restart is not a stampede.
      const delay = Math.min(10_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function heartbeat() {
    if (socket?.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "ping" }));
    clearTimeout(pongTimer);
    pongTimer = setTimeout(() => socket?.close(), PONG_WITHIN_MS); // silent server: start over
  }

  function sendPending(p: PendingMessage) {
    transmit({
      type: "send",
      clientId: p.clientId,
      conversationId: p.conversationId,
      text: p.text,
    });
  }

  function showTyping(conversationId: number, username: string) {
    const map = new Map(typing.value);
    const inConversation = new Map(map.get(conversationId) ?? []);
    inConversation.set(username, Date.now() + TYPING_SHOWN_MS);
    map.set(conversationId, inConversation);
    typing.value = map;
    setTimeout(() => clearTyping(conversationId, username, true), TYPING_SHOWN_MS + 50);
  }

  function clearTyping(conversationId: number, username: string, onlyIfExpired = false) {
    const expires = typing.value.get(conversationId)?.get(username);
    if (expires === undefined || (onlyIfExpired && expires > Date.now())) return;
    const map = new Map(typing.value);
    const inConversation = new Map(map.get(conversationId));
    inConversation.delete(username);
    map.set(conversationId, inConversation);
    typing.value = map;
  }

  async function loadHistory(conversationId: number, before?: number) {
    const query = `limit=${HISTORY_PAGE}${before ? `&before=${before}` : ""}`;
    const response = await fetch(`/api/conversations/${conversationId}/messages?${query}`);
    if (!response.ok) return;
    const page = await response.json() as { messages: MessageView[]; hasMore: boolean };
    setMessages(conversationId, page.messages, page.hasMore);
  }

  function markActiveRead() {
    const conversation = snapshot.value?.conversations.find((c) => c.id === activeId.value);
    const latest = conversation?.latest;
    if (!conversation || !latest || latest.id <= conversation.lastReadId) return;
    if (document.visibilityState !== "visible") return;
    transmit({ type: "read", conversationId: conversation.id, messageId: latest.id });
  }

  return {
    snapshot,
    me,
    activeId,
    messages,
    hasMore,
    pending,
    connection,
    typing,
    drawerOpen,
    absorbSnapshot,
    absorbConversation,
    loadHistory,
    markActiveRead,

    /** Opens the socket once, after the islands have given their first props. */
    start(heartbeatMs: number) {
      if (started) return;
      started = true;
      connect();
      setInterval(heartbeat, heartbeatMs);
      document.addEventListener("visibilitychange", markActiveRead);
    },

    send(text: string) {
      if (!text.trim()) return;
      const p: PendingMessage = {
        clientId: crypto.randomUUID(),
        conversationId: activeId.value,
        text,
        status: "sending",
      };
      pending.value = [...pending.value, p];
      sendPending(p); // if the socket is down, it goes out on reconnect
    },

    retry(clientId: string) {
      const p = pending.value.find((x) => x.clientId === clientId);
      if (!p) return;
      const again = { ...p, status: "sending" as const, error: undefined };
      pending.value = pending.value.map((x) => (x.clientId === clientId ? again : x));
      sendPending(again);
    },

    typingNow() {
      transmit({ type: "typing", conversationId: activeId.value });
    },

    setAppearOffline(appearOffline: boolean) {
      transmit({ type: "set_status", appearOffline });
    },

    async open(conversationId: number) {
      activeId.value = conversationId;
      drawerOpen.value = false;
      history.replaceState(null, "", conversationId === LOBBY_ID ? "/" : `/#c${conversationId}`);
      if (!messages.value.has(conversationId)) await loadHistory(conversationId);
      markActiveRead();
    },

    async openDirect(username: string): Promise<string | null> {
      const response = await api("POST", "/api/conversations", { with: username });
      if (!response.ok) return errorMessage(response);
      const { conversation } = await response.json() as { conversation: ConversationView };
      if (snapshot.value && !snapshot.value.conversations.some((c) => c.id === conversation.id)) {
        snapshot.value = applyEvent(snapshot.value, { type: "conversation", conversation });
      }
      await this.open(conversation.id);
      return null;
    },

    async loadOlder() {
      const list = messages.value.get(activeId.value);
      if (!list?.length || !hasMore.value.get(activeId.value)) return;
      await loadHistory(activeId.value, list[0].id);
    },
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;

function mergeById(existing: MessageView[], incoming: MessageView[]): MessageView[] {
  if (incoming.length === 1 && (!existing.length || existing.at(-1)!.id < incoming[0].id)) {
    return [...existing, incoming[0]]; // the usual case: one new message at the end
  }
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** JSON to our own API; the browser adds Origin and the session cookie. */
export function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function errorMessage(response: Response): Promise<string> {
  try {
    return (await response.json()).error.message;
  } catch {
    return `Something went wrong (${response.status}).`;
  }
}

let pageStore: ChatStore | undefined;

/** The page's store in the browser; a fresh one per render on the server. */
export function chatStore(): ChatStore {
  if (typeof document === "undefined") return createChatStore();
  return pageStore ??= createChatStore();
}
