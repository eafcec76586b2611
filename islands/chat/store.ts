// The page's chat client: the state, fed by the socket, plus what the person can do.
// On the server each island builds a throwaway store from its own props; in the browser
// there is one store for the page, fed by both islands' props and then by the socket.
import { batch, effect } from "@preact/signals";
import type { ClientFrame } from "../../lib/protocol.ts";
import { applyEvent, LOBBY_ID, quoteOf, type Snapshot, type UserView } from "../../lib/wire.ts";
import * as api from "./api.ts";
import { friendOf, isStandIn, movePending, standInId, standInsOf } from "./direct.ts";
import { forgetSaved, savedDrafts, saveDraft } from "./saved.ts";
import { createOutbox } from "./outbox.ts";
import { createSearch } from "./search.ts";
import { type ChatSocket, createChatSocket } from "./socket.ts";
import { createChatState, type Effect, failPending, stillSending } from "./state.ts";
import { readToSend, unreadTotal } from "./unread.ts";

export function createChatStore() {
  const state = createChatState();
  let socket: ChatSocket | null = null;
  const transmit = (frame: ClientFrame): boolean => socket?.send(frame) ?? false;
  const outbox = createOutbox(state, transmit);
  /** The direct conversations being asked for, by stand-in id. */
  const settling = new Map<number, Promise<api.Result<null>>>();

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
    if (isStandIn(conversationId)) return; // nothing to load before the server names it
    const { firstLoads } = state;
    if (!state.messages.value.has(conversationId) && !firstLoads.has(conversationId)) {
      firstLoads.set(conversationId, []);
    }
    const page = await api.historyPage(conversationId, before);
    if (!page.ok) {
      firstLoads.delete(conversationId);
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
    // Where the newest messages are not even loaded, only the reader's word reads them.
    const away = !state.atBottom.value || state.held.value.has(state.activeId.value);
    if (!evenScrolledUp && away) return;
    const read = readToSend(state.snapshot.value, state.activeId.value);
    if (read && document.visibilityState === "visible") transmit(read);
  }

  /** Opens a conversation; its log marks it read once the reader reaches the bottom. */
  async function open(conversationId: number) {
    state.atBottom.value = false;
    if (state.activeId.value !== conversationId) state.replyingTo.value = null;
    if (state.found.value?.conversationId !== conversationId) state.found.value = null;
    state.activeId.value = conversationId;
    state.drawerOpen.value = false;
    if (!isStandIn(conversationId)) {
      history.replaceState(null, "", conversationId === LOBBY_ID ? "/" : `/#c${conversationId}`);
    }
    if (!state.messages.value.has(conversationId)) await loadHistory(conversationId);
  }

  /** Opens the direct conversation with a friend at once, under a stand-in id if it is new. */
  async function openDirect(friend: UserView): Promise<api.Result<null>> {
    const known = directWith(friend.id);
    if (known) {
      adopt(friend.id, known.id);
      await open(known.id);
      return { ok: true, value: null };
    }
    const standIn = standInId(friend.id);
    state.unopened.value = new Map(state.unopened.value).set(standIn, friend);
    void open(standIn);
    return await settle(friend);
  }

  const directWith = (friendId: number) =>
    state.snapshot.value?.conversations.find((c) => c.kind === "direct" && c.with?.id === friendId);

  /** Asks the server for the conversation with a friend (once at a time), then adopts it. */
  function settle(friend: UserView): Promise<api.Result<null>> {
    const standIn = standInId(friend.id);
    const asking = settling.get(standIn) ?? askFor(friend).finally(() => settling.delete(standIn));
    settling.set(standIn, asking);
    return asking;
  }

  async function askFor(friend: UserView): Promise<api.Result<null>> {
    const standIn = standInId(friend.id);
    if (state.historyError.value?.conversationId === standIn) state.historyError.value = null;
    const result = await api.openDirect(friend.username);
    if (!result.ok) {
      state.historyError.value = { conversationId: standIn, message: result.message };
      // Unanswered, the messages wait for the connection like any other; refused, they failed.
      if (result.unreached) return result;
      for (const p of state.pending.value) {
        if (p.conversationId !== standIn || p.status === "failed") continue;
        state.pending.value = failPending(state.pending.value, p.clientId, result.message);
      }
      return result;
    }
    const conversation = result.value;
    const snapshot = state.snapshot.value;
    if (snapshot && !snapshot.conversations.some((c) => c.id === conversation.id)) {
      state.snapshot.value = applyEvent(snapshot, { type: "conversation", conversation });
    }
    adopt(friend.id, conversation.id);
    if (state.activeId.value === standIn) void open(conversation.id);
    return { ok: true, value: null };
  }

  /** The stand-in's draft and messages move to the conversation; those held are sent now. */
  function adopt(friendId: number, conversationId: number) {
    const standIn = standInId(friendId);
    const draft = state.drafts.value.get(standIn);
    const held = state.pending.value.filter((p) => p.conversationId === standIn);
    batch(() => {
      if (draft) {
        setDraft(conversationId, draft);
        setDraft(standIn, "");
      }
      state.pending.value = movePending(state.pending.value, standIn, conversationId);
      const unopened = new Map(state.unopened.value);
      if (unopened.delete(standIn)) state.unopened.value = unopened;
    });
    stillSending(movePending(held, standIn, conversationId)).forEach(outbox.sendPending);
  }

  /** Messages still under a stand-in (unanswered, or left by a reload) go to their friend's. */
  function resumeStandIns() {
    for (const standIn of standInsOf(stillSending(state.pending.value))) {
      const friendId = friendOf(standIn);
      const known = directWith(friendId);
      const friend = state.snapshot.value?.friends.find((f) => f.id === friendId);
      if (known) adopt(friendId, known.id);
      else if (friend) void settle(friend);
    }
  }

  /** Keeps what is typed for one conversation, here and in the browser's storage. */
  function setDraft(conversationId: number, text: string) {
    const drafts = new Map(state.drafts.value);
    if (text) drafts.set(conversationId, text);
    else drafts.delete(conversationId);
    state.drafts.value = drafts;
    if (state.me.value) saveDraft(state.me.value.id, conversationId, text);
  }

  /** Leaves a window further back for the newest messages. */
  async function jumpToLatest() {
    const id = state.activeId.value;
    const page = await api.historyPage(id);
    if (!page.ok) return void (state.notice.value = page.message);
    state.showWindow(id, page.value.messages, page.value.hasMore, true);
    state.appendNewer(id, [], false);
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
        onConnection: (connection) => {
          state.connection.value = connection;
          if (connection === "live") resumeStandIns();
        },
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

    setDraft,

    send(text: string) {
      if (!text.trim()) return;
      const id = state.activeId.value;
      const replying = state.replyingTo.value;
      const replyTo = replying?.conversationId === id
        ? { id: replying.id, sender: replying.sender, snippet: quoteOf(replying.text) }
        : undefined;
      state.replyingTo.value = null;
      if (state.held.value.has(id)) void jumpToLatest(); // what is sent shows among the newest
      outbox.send(id, text, replyTo);
      const friend = state.unopened.value.get(id);
      if (friend) void settle(friend); // asked already, or refused: this message needs an answer
    },

    retryAll() {
      const id = state.activeId.value;
      outbox.retryAll(id);
      const friend = state.unopened.value.get(id);
      if (friend) void settle(friend); // the conversation could not be opened: try again
    },
    discardFailed: () => outbox.discardFailed(state.activeId.value),

    typingNow() {
      const conversationId = state.activeId.value;
      if (!isStandIn(conversationId)) transmit({ type: "typing", conversationId });
    },
    /** The text was cleared: the others stop seeing "typing" now, not seconds later. */
    typingStopped() {
      const conversationId = state.activeId.value;
      if (!isStandIn(conversationId)) transmit({ type: "typing", conversationId, stopped: true });
    },

    /** Edits or deletes a message; a refusal (or no connection) is told as a notice. */
    change(
      change:
        | { type: "edit"; messageId: number; text: string }
        | { type: "delete"; messageId: number }
        | { type: "react"; messageId: number; emoji: string; on: boolean },
    ) {
      const clientId = crypto.randomUUID();
      state.changes.add(clientId);
      if (!transmit({ ...change, clientId })) {
        state.changes.delete(clientId);
        state.notice.value = "Not connected: try again once the connection is back.";
      }
    },

    setAppearOffline(appearOffline: boolean) {
      transmit({ type: "set_status", appearOffline });
    },
    /** Off: friends do not see how far you read, and you do not see how far they read. */
    setSendReceipts(sendReceipts: boolean) {
      transmit({ type: "set_receipts", sendReceipts });
    },

    /** Opens the direct conversation with a friend (the result says why it could not). */
    openDirect,

    /** Searching messages (the search dialog). */
    search: createSearch(),

    /**
     * Opens a conversation at one of its messages, with the messages around it loaded (a
     * search result, a reply's original far back); the log shows and focuses it.
     */
    async showMessage(conversationId: number, messageId: number) {
      const has = () => state.messages.value.get(conversationId)?.some((m) => m.id === messageId);
      if (!has()) {
        const page = await api.historyAround(conversationId, messageId);
        if (!page.ok) return void (state.notice.value = page.message);
        const { messages, hasMore, hasNewer } = page.value;
        state.showWindow(conversationId, messages, hasMore, hasNewer);
      }
      if (!has()) return void (state.notice.value = "That message is no longer there.");
      state.found.value = { conversationId, messageId };
      await open(conversationId);
    },

    /** Loads the page after the newest loaded message, when the newest is not loaded yet. */
    async loadNewer(): Promise<boolean> {
      const id = state.activeId.value;
      const list = state.messages.value.get(id);
      if (!list?.length || !state.held.value.has(id)) return false;
      const page = await api.historyAfter(id, list.at(-1)!.id);
      if (!page.ok) return !(state.notice.value = page.message);
      state.appendNewer(id, page.value.messages, page.value.hasNewer);
      return true;
    },

    jumpToLatest,

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
