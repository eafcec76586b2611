// The page's chat client: the state, fed by the socket, plus what the person can do.
// On the server each island builds a throwaway store from its own props; in the browser
// there is one store for the page, fed by both islands' props and then by the socket.
import { effect } from "@preact/signals";
import type { ClientFrame } from "../../lib/protocol.ts";
import { applyEvent, LOBBY_ID, type Snapshot, type UserView } from "../../lib/wire.ts";
import * as api from "./api.ts";
import { forgetSaved, savedDrafts, saveDraft } from "./saved.ts";
import { createOutbox } from "./outbox.ts";
import { type ChatSocket, createChatSocket } from "./socket.ts";
import { createChatState, type Effect } from "./state.ts";
import { readReceipt, unreadTotal } from "./unread.ts";

export function createChatStore() {
  const state = createChatState();
  let socket: ChatSocket | null = null;
  const transmit = (frame: ClientFrame): boolean => socket?.send(frame) ?? false;
  const outbox = createOutbox(state, transmit);

  function run(effect: Effect) {
    switch (effect.type) {
      case "send":
        return outbox.sendPending(effect.pending);
      case "pace":
        return outbox.pace(effect.afterMs);
      case "drain":
        return outbox.drain();
      case "mark_read":
        return markActiveRead();
      case "load_history":
        return void loadHistory(effect.conversationId);
      case "expire_typing":
        return void setTimeout(state.expireTyping, effect.inMs);
    }
  }

  async function loadHistory(conversationId: number, before?: number) {
    const page = await api.historyPage(conversationId, before);
    if (!page.ok) {
      state.historyError.value = { conversationId, message: page.message };
      return;
    }
    if (state.historyError.value?.conversationId === conversationId) {
      state.historyError.value = null;
    }
    state.setHistory(conversationId, page.value.messages, page.value.hasMore);
  }

  /** Reads the open conversation up to its newest message, once the reader has seen it. */
  function markActiveRead(evenScrolledUp = false) {
    if (!evenScrolledUp && !state.atBottom.value) return;
    const receipt = readReceipt(state.snapshot.value, state.activeId.value);
    if (receipt && document.visibilityState === "visible") transmit(receipt);
  }

  /** Opens a conversation; its log marks it read once the reader reaches the bottom. */
  async function open(conversationId: number) {
    state.atBottom.value = false;
    state.activeId.value = conversationId;
    state.drawerOpen.value = false;
    history.replaceState(null, "", conversationId === LOBBY_ID ? "/" : `/#c${conversationId}`);
    if (!state.messages.value.has(conversationId)) await loadHistory(conversationId);
  }

  return {
    ...state,
    loadHistory,
    markActiveRead,
    open,

    /** Opens the socket once, after the islands have given their first props. */
    start(options: { heartbeatMs: number; snapshot: Snapshot }) {
      if (socket) return;
      outbox.restore(options.snapshot.me.id); // before the socket: caught_up re-sends them
      socket = createChatSocket({
        heartbeatMs: options.heartbeatMs,
        onFrame: (frame) => state.apply(frame).forEach(run),
        onConnection: (connection) => (state.connection.value = connection),
      });
      socket.start(options.snapshot);
      document.addEventListener("visibilitychange", () => {
        markActiveRead();
        if (document.visibilityState === "visible") socket?.reconnectNow();
      });
      addEventListener("online", () => socket?.reconnectNow());
      addEventListener("offline", () => socket?.disconnect());
      const userId = options.snapshot.me.id;
      const title = document.title;
      effect(() => { // the tab says how much waits unread: "(3) UgoChat"
        const total = unreadTotal(state.snapshot.value);
        document.title = total ? `(${total}) ${title}` : title;
      });
      const drafts = Object.entries(savedDrafts(userId)).map(([id, text]) => [Number(id), text]);
      state.drafts.value = new Map(drafts as [number, string][]);
      document.addEventListener("submit", (event) => {
        const form = event.target as HTMLFormElement;
        if (form.getAttribute("action") === "/logout") forgetSaved(userId);
      });
    },

    showProfile(user: UserView, from: HTMLElement | null) {
      state.profile.value = { user, from };
    },

    closeProfile() {
      const from = state.profile.value?.from;
      state.profile.value = null;
      from?.focus();
    },

    /** Keeps what is typed for one conversation, here and in the browser's storage. */
    setDraft(conversationId: number, text: string) {
      const drafts = new Map(state.drafts.value);
      if (text) drafts.set(conversationId, text);
      else drafts.delete(conversationId);
      state.drafts.value = drafts;
      if (state.me.value) saveDraft(state.me.value.id, conversationId, text);
    },

    send(text: string) {
      if (text.trim()) outbox.send(state.activeId.value, text);
    },

    retryAll: () => outbox.retryAll(state.activeId.value),
    discardFailed: () => outbox.discardFailed(state.activeId.value),

    typingNow() {
      transmit({ type: "typing", conversationId: state.activeId.value });
    },
    /** The text was cleared: the others stop seeing "typing" now, not seconds later. */
    typingStopped() {
      transmit({ type: "typing", conversationId: state.activeId.value, stopped: true });
    },

    setAppearOffline(appearOffline: boolean) {
      transmit({ type: "set_status", appearOffline });
    },

    /** Opens the direct conversation with a friend (the result says why it could not). */
    async openDirect(username: string): Promise<api.Result<null>> {
      const result = await api.openDirect(username);
      if (!result.ok) return result;
      const conversation = result.value;
      const snapshot = state.snapshot.value;
      if (snapshot && !snapshot.conversations.some((c) => c.id === conversation.id)) {
        state.snapshot.value = applyEvent(snapshot, { type: "conversation", conversation });
      }
      await open(conversation.id);
      return { ok: true, value: null };
    },

    /** Loads the page before the oldest loaded message; false when there was none to load. */
    async loadOlder(): Promise<boolean> {
      const id = state.activeId.value;
      const list = state.messages.value.get(id);
      if (!list?.length || !state.hasMore.value.get(id)) return false;
      await loadHistory(id, list[0].id);
      return true;
    },
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;

let pageStore: ChatStore | undefined;

/** The page's store in the browser; a fresh one per render on the server. */
export function chatStore(): ChatStore {
  if (typeof document === "undefined") return createChatStore();
  return pageStore ??= createChatStore();
}
