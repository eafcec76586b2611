// The chat page's state: signals, and one entry point, apply(frame), for every server frame.
// apply changes only the signals; what the page must then do (send, load, set a timer) it
// returns as effects, which the store carries out. The pure functions below do the work.
import { batch, signal } from "@preact/signals";
import {
  applyEvent,
  LOBBY_ID,
  type MessageView,
  quoteOf,
  type QuoteView,
  type ServerFrame,
  type Snapshot,
  TYPING_SHOWN_MS,
  type UserView,
} from "../../lib/wire.ts";
import type { Connection } from "./socket.ts";
import {
  edited,
  reacted,
  tombstone,
  withChangedMessage,
  withLoadedMessage,
  withMessages,
  withoutConversation,
  withQuotesOf,
} from "./loaded.ts";
import { expireTyping, startTyping, stopTyping, type Typing } from "./typing.ts";
import { leftNotice, type MemberList, withMemberChange } from "./rooms.ts";

export { mergeById, withLoadedMessage, withMessages, withoutConversation } from "./loaded.ts";
export { expireTyping, startTyping, stopTyping, type Typing, typingNames } from "./typing.ts";

export type PendingMessage = {
  clientId: string;
  conversationId: number;
  text: string;
  /** The message it replies to, as quoted. */
  replyTo?: QuoteView;
  /** waiting: refused for sending too fast, to go again when the pace allows. */
  status: "sending" | "waiting" | "failed";
  error?: string;
};

/** The page's dialogs; the room ones act on the open room. */
export type DialogName =
  | "edit_history"
  | "shortcuts"
  | "switcher"
  | "search"
  | "new_room"
  | "browse_rooms"
  | "rename_room"
  | "room_topic"
  | "invite";

const ROOM_DIALOGS = new Set<DialogName | null>(["rename_room", "room_topic", "invite"]);

/** What the server rendered for the open conversation. */
export type ConversationPart = {
  me: UserView;
  activeId: number;
  messages: MessageView[];
  hasMore: boolean;
};

export type Effect =
  | { type: "send"; pending: PendingMessage }
  /**
   * The server said "too fast": send the waiting ones again, one by one, after a pause (as long
   * as the server asked, when it said).
   */
  | { type: "pace"; afterMs?: number }
  /** The pace allows another: send the first waiting message, if any. */
  | { type: "drain" }
  | { type: "mark_read" }
  | { type: "load_history"; conversationId: number }
  | { type: "expire_typing"; inMs: number };

export function createChatState(now: () => number = Date.now) {
  const state = {
    snapshot: signal<Snapshot | null>(null),
    me: signal<UserView | null>(null),
    activeId: signal(LOBBY_ID),
    messages: signal(new Map<number, MessageView[]>()),
    hasMore: signal(new Map<number, boolean>()),
    pending: signal<PendingMessage[]>([]),
    connection: signal<Connection>("connecting"),
    typing: signal<Typing>(new Map()),
    drawerOpen: signal(false),
    /** Whether the reader sees the newest message: only then does it count as read. */
    atBottom: signal(true),
    /** Whose profile card is open, and the name it was opened from (focus returns there). */
    profile: signal<{ user: UserView; from: HTMLElement | null } | null>(null),
    /** The open dialog, if any. */
    dialog: signal<DialogName | null>(null),
    /** Whether the open room's members panel is shown, and the list it shows. */
    membersOpen: signal(false),
    members: signal<MemberList | null>(null),
    /** A short word about a room that went away, or a change to a message that was refused. */
    notice: signal<string | null>(null),
    /** The message whose edit history the dialog shows. */
    historyOf: signal<MessageView | null>(null),
    /** The message the composer's next message replies to, if any (in its conversation). */
    replyingTo: signal<MessageView | null>(null),
    /** The message whose text is being edited in place, if any. */
    editing: signal<number | null>(null),
    /** Edits and deletions sent and not answered yet, by clientId. */
    changes: new Set<string>(),
    /** What was typed and not sent, per conversation. */
    drafts: signal(new Map<number, string>()),
    /** Friends whose direct conversation is shown under a stand-in id (see direct.ts). */
    unopened: signal(new Map<number, UserView>()),
    /**
     * Conversations whose first page of history is on its way, with the live messages (our own
     * acknowledged ones too) that arrived meanwhile: the page may have been read before them.
     */
    firstLoads: new Map<number, MessageView[]>(),
    /**
     * Conversations whose loaded messages stop short of the newest (opened at a search
     * result, further back): the live messages that arrived meanwhile, held until the loaded
     * ones reach them, so that no gap opens between the two.
     */
    held: signal(new Map<number, MessageView[]>()),
    /** The message just opened at (a search result, a reply's original): shown and focused. */
    found: signal<{ conversationId: number; messageId: number } | null>(null),
    /** The last history load that failed, shown in its conversation until one succeeds. */
    historyError: signal<{ conversationId: number; message: string } | null>(null),

    absorbSnapshot(next: Snapshot) {
      state.snapshot.value = next;
      state.me.value = { id: next.me.id, username: next.me.username };
    },

    absorbConversation(part: ConversationPart) {
      state.me.value ??= part.me;
      state.activeId.value = part.activeId;
      state.setHistory(part.activeId, part.messages, part.hasMore);
    },

    /** A page of history arrived: merge it in, and remember whether there is more. */
    setHistory(conversationId: number, list: MessageView[], more: boolean) {
      const { messages, hasMore } = state;
      const early = state.firstLoads.get(conversationId) ?? [];
      state.firstLoads.delete(conversationId);
      batch(() => {
        messages.value = withMessages(messages.value, conversationId, [...list, ...early]);
        hasMore.value = new Map(hasMore.value).set(conversationId, more);
      });
    },

    /** A window of history away from the newest (`newer`: there is more after it). */
    showWindow(conversationId: number, list: MessageView[], more: boolean, newer: boolean) {
      const { messages, hasMore, held } = state;
      batch(() => {
        messages.value = new Map(messages.value).set(conversationId, list);
        hasMore.value = new Map(hasMore.value).set(conversationId, more);
        held.value = newer
          ? new Map(held.value).set(conversationId, [])
          : without(held.value, conversationId);
      });
    },

    /** A page after the loaded messages arrived; the last one lets the held ones in. */
    appendNewer(conversationId: number, list: MessageView[], newer: boolean) {
      const { messages, held } = state;
      const waiting = held.value.get(conversationId) ?? [];
      batch(() => {
        messages.value = withMessages(
          messages.value,
          conversationId,
          newer ? list : [...list, ...waiting],
        );
        if (!newer) held.value = without(held.value, conversationId);
      });
    },

    receive(message: MessageView) {
      const { messages, pending, typing, held } = state;
      if (!messages.value.has(message.conversationId)) {
        state.firstLoads.get(message.conversationId)?.push(message);
      }
      const waiting = held.value.get(message.conversationId);
      if (waiting) {
        held.value = new Map(held.value).set(message.conversationId, [...waiting, message]);
      } else messages.value = withLoadedMessage(messages.value, message);
      pending.value = withoutPending(pending.value, message.clientId);
      typing.value = stopTyping(typing.value, message.conversationId, message.sender.username);
    },

    expireTyping() {
      state.typing.value = expireTyping(state.typing.value, now());
    },

    /** Every server frame comes in here, once. */
    apply(frame: ServerFrame): Effect[] {
      return batch(() => applyFrame(frame));
    },
  };

  function applyFrame(frame: ServerFrame): Effect[] {
    const { snapshot, pending } = state;
    switch (frame.type) {
      case "snapshot":
        state.absorbSnapshot(frame.snapshot);
        return [];
      case "caught_up": // same clientIds as before, so a resend cannot double a message
        return [...stillSending(pending.value).map(resend), { type: "drain" }, {
          type: "mark_read",
        }];
      case "resync":
        state.messages.value = new Map();
        state.hasMore.value = new Map();
        state.held.value = new Map();
        return [{ type: "load_history", conversationId: state.activeId.value }];
      case "message":
        state.receive(frame.message);
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        return [{ type: "mark_read" }];
      case "ack": {
        if (state.changes.delete(frame.clientId)) return [];
        const sent = ackedMessage(pending.value, frame, state.me.value);
        if (sent) state.receive(sent);
        return [{ type: "drain" }];
      }
      case "error":
        if (!frame.clientId) return [];
        if (state.changes.delete(frame.clientId)) {
          state.notice.value = frame.message;
          return [];
        }
        if (frame.code === "rate_limited") {
          pending.value = setStatus(pending.value, frame.clientId, "waiting");
          return [
            frame.retryAfterS
              ? { type: "pace", afterMs: frame.retryAfterS * 1000 }
              : { type: "pace" },
          ];
        }
        pending.value = failPending(pending.value, frame.clientId, frame.message);
        return [];
      case "typing":
        if (frame.stopped) {
          state.typing.value = stopTyping(
            state.typing.value,
            frame.conversationId,
            frame.user.username,
          );
          return [];
        }
        state.typing.value = startTyping(
          state.typing.value,
          frame.conversationId,
          frame.user.username,
          now(),
        );
        return [{ type: "expire_typing", inMs: TYPING_SHOWN_MS + 50 }];
      case "room_joined": // its messages from other instances may have come first: load them
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        return [{ type: "load_history", conversationId: frame.conversation.id }];
      case "room_left": {
        const gone = snapshot.value?.conversations.find((c) => c.id === frame.conversationId);
        if (gone?.room) state.notice.value = leftNotice(gone.room.name, frame.reason);
        if (state.members.value?.conversationId === frame.conversationId) {
          state.members.value = null;
        }
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        state.messages.value = withoutConversation(state.messages.value, frame.conversationId);
        if (state.activeId.value === frame.conversationId) {
          state.activeId.value = LOBBY_ID;
          state.membersOpen.value = false;
          if (ROOM_DIALOGS.has(state.dialog.value)) state.dialog.value = null; // it was for this room
        }
        return [];
      }
      case "room_member":
        if (state.members.value) state.members.value = withMemberChange(state.members.value, frame);
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        return [];
      case "message_edited":
      case "message_deleted":
      case "reaction": {
        const change = frame.type === "message_edited"
          ? edited(frame.text, frame.editedAt)
          : frame.type === "reaction"
          ? reacted(frame)
          : tombstone;
        state.messages.value = withChangedMessage(
          state.messages.value,
          frame.conversationId,
          frame.messageId,
          frame.seq,
          change,
        );
        if (frame.type !== "reaction") {
          const snippet = frame.type === "message_edited" ? quoteOf(frame.text) : null;
          state.messages.value = withQuotesOf(
            state.messages.value,
            frame.conversationId,
            frame.messageId,
            snippet,
          );
        }
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        return [];
      }
      case "pong":
        return [];
      default:
        if (snapshot.value) snapshot.value = applyEvent(snapshot.value, frame);
        return [];
    }
  }

  return state;
}

export type ChatState = ReturnType<typeof createChatState>;

const resend = (pending: PendingMessage): Effect => ({ type: "send", pending });

// ---- pending sends ----

export function withoutPending(pending: PendingMessage[], clientId: string): PendingMessage[] {
  return pending.some((p) => p.clientId === clientId)
    ? pending.filter((p) => p.clientId !== clientId)
    : pending;
}

export function failPending(
  pending: PendingMessage[],
  clientId: string,
  error: string,
): PendingMessage[] {
  return pending.map((p) => (p.clientId === clientId ? { ...p, status: "failed", error } : p));
}

export function retryPending(pending: PendingMessage[], clientId: string): PendingMessage[] {
  return setStatus(pending, clientId, "sending");
}

export function setStatus(
  pending: PendingMessage[],
  clientId: string,
  status: PendingMessage["status"],
): PendingMessage[] {
  return pending.map((p) => (p.clientId === clientId ? { ...p, status, error: undefined } : p));
}

export const stillSending = (pending: PendingMessage[]) =>
  pending.filter((p) => p.status === "sending");

/** The stored message an ack stands for, built from our own pending send. */
export function ackedMessage(
  pending: PendingMessage[],
  ack: Extract<ServerFrame, { type: "ack" }>,
  me: UserView | null,
): MessageView | null {
  const sent = pending.find((p) => p.clientId === ack.clientId);
  if (!sent || !me) return null;
  const { id, seq, conversationId, at, clientId } = ack;
  const message = { id, seq, conversationId, sender: me, text: sent.text.trim(), at, clientId };
  return sent.replyTo ? { ...message, replyTo: sent.replyTo } : message;
}

function without<V>(map: Map<number, V>, key: number): Map<number, V> {
  if (!map.has(key)) return map;
  const rest = new Map(map);
  rest.delete(key);
  return rest;
}
