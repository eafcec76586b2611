// The open conversation's log. It opens at the first unread message (below a "New messages"
// divider) or at the bottom, follows new messages while the reader is at the bottom, counts
// them on "New messages ↓" when they are not, and loads older history at the top in place.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { isStandIn } from "../../islands/chat/direct.ts";
import type { PendingMessage } from "../../islands/chat/state.ts";
import { canManage } from "../../islands/chat/rooms.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { ConversationView, MessageView } from "../../lib/wire.ts";
import { moveBetweenMessages } from "./messageFocus.ts";
import { MessageList } from "./MessageList.tsx";
import { UnreadBar } from "./UnreadBar.tsx";

const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 40;
const FOUND_MS = 4_000; // how long a message opened at stands out

const nearBottom = (el: HTMLElement) =>
  el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;

export function MessageLog(
  props: {
    store: ChatStore;
    title: string;
    conversation: ConversationView | undefined;
    messages: MessageView[];
    pending: PendingMessage[];
    meId: number;
  },
) {
  const { store, messages, meId } = props;
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true); // follow new messages while the reader is at the bottom
  const landed = useRef(false);
  // Where "New messages" goes: after what was read when the conversation was opened. Set once
  // mounted: the server renders without it, and hydration must meet the same markup.
  const [readBefore, setReadBefore] = useState<number | null>(null);
  const [seenUpTo, setSeenUpTo] = useState(messages.at(-1)?.id ?? 0);
  const heightBeforeOlder = useRef<number | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const lastId = messages.at(-1)?.id ?? 0;
  const hasMore = store.hasMore.value.get(store.activeId.value);
  const loaded = store.messages.value.has(store.activeId.value);
  const failed = store.historyError.value?.conversationId === store.activeId.value;
  const unread = props.conversation?.unread ?? 0;
  const held = store.held.value.has(store.activeId.value); // the newest are not loaded
  const found = store.found.value?.conversationId === store.activeId.value
    ? store.found.value.messageId
    : null;
  const heightBeforeNewer = useRef<number | null>(null);
  const unseen = messages.filter((m) => m.id > seenUpTo && m.sender.id !== meId).length;
  // Read where the reader is before this render reaches the DOM: a scroll whose event the
  // browser has not dispatched yet still counts, so a message arriving in that gap does not
  // yank the reader back to the bottom.
  if (log.current && heightBeforeOlder.current === null) stick.current = nearBottom(log.current);
  // What the reader sent themselves is never "new" to them: it brings them to the bottom.
  const pendingBefore = useRef(props.pending.length);
  if (props.pending.length > pendingBefore.current) stick.current = true;
  pendingBefore.current = props.pending.length;
  if (messages.at(-1)?.sender.id === meId && lastId > seenUpTo) stick.current = true;

  /** Remembers whether the reader is at the bottom; there, everything counts as read. */
  function noteWhere(el: HTMLElement) {
    const bottom = nearBottom(el);
    store.atBottom.value = bottom;
    if (!bottom) return;
    setSeenUpTo(lastId);
    store.markActiveRead();
  }

  function toDivider(el: HTMLElement): boolean {
    const divider = el.querySelector<HTMLElement>(".unread-divider");
    if (divider) el.scrollTop = divider.offsetTop - el.offsetTop - 8;
    return divider !== null;
  }

  function land(el: HTMLElement) {
    if (found) return; // the found message's effect places it
    if (toDivider(el)) return;
    if (unread > 0 && hasMore) el.scrollTop = 0; // the first unread is further back
    else el.scrollTop = el.scrollHeight;
  }

  useLayoutEffect(() => {
    const el = log.current;
    if (!el || !loaded) return;
    if (readBefore === null) { // nothing unread at the open: no divider, until something is
      return setReadBefore(unread > 0 ? props.conversation!.lastReadId : Infinity);
    }
    if (!landed.current) {
      landed.current = true;
      land(el);
    } else if (heightBeforeNewer.current !== null) {
      heightBeforeNewer.current = null; // newer history below: the reader stays where they are
    } else if (heightBeforeOlder.current !== null) {
      el.scrollTop += el.scrollHeight - heightBeforeOlder.current; // older history: keep the reader's place
      heightBeforeOlder.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    noteWhere(el);
  }, [loaded, readBefore, lastId, messages.length, props.pending.length]);

  // Opened at a message (a search result, a quote's original): it comes into view, focused.
  useLayoutEffect(() => {
    if (found === null || !loaded) return;
    const item = log.current?.querySelector<HTMLElement>(`.message[data-id="${found}"]`);
    if (!item) return;
    item.scrollIntoView({ block: "center" });
    item.focus({ preventScroll: true });
    stick.current = false;
    landed.current = true;
    const shown = store.found.value;
    setTimeout(() => store.found.value === shown && (store.found.value = null), FOUND_MS);
  }, [found, loaded, messages.length]);

  // Unread again after all was read (new messages while scrolled up): the divider moves there.
  const wasUnread = useRef(unread > 0);
  if (unread > 0 && !wasUnread.current && !store.atBottom.value) {
    setReadBefore(props.conversation!.lastReadId);
  }
  wasUnread.current = unread > 0;

  async function onScroll() {
    const el = log.current;
    if (!el) return; // a scroll event that arrives after switching to another conversation
    stick.current = nearBottom(el);
    noteWhere(el);
    if (el.scrollTop < NEAR_TOP_PX && hasMore && heightBeforeOlder.current === null) await older();
    else if (held && nearBottom(el) && heightBeforeNewer.current === null) await newer();
  }

  async function newer() {
    heightBeforeNewer.current = log.current?.scrollHeight ?? 0;
    stick.current = false;
    setLoadingNewer(true);
    if (!(await store.loadNewer())) heightBeforeNewer.current = null;
    setLoadingNewer(false);
  }

  async function older(): Promise<boolean> {
    heightBeforeOlder.current = log.current?.scrollHeight ?? null;
    setLoadingOlder(true);
    const loadedSome = await store.loadOlder();
    if (!loadedSome) heightBeforeOlder.current = null;
    setLoadingOlder(false);
    return loadedSome;
  }

  async function jumpToNewest() {
    if (held) await store.jumpToLatest();
    const el = log.current!;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    noteWhere(el);
  }

  async function jumpToFirstUnread() {
    const more = () => store.hasMore.value.get(store.activeId.value);
    while (!log.current?.querySelector(".unread-divider") && more() && await older());
    if (log.current) toDivider(log.current);
  }

  return (
    <>
      {unread > 0 && !store.atBottom.value && (
        <UnreadBar
          unread={unread}
          onJump={jumpToFirstUnread}
          onMarkRead={() => store.markActiveRead(true)}
        />
      )}
      <div
        class="log"
        role="log"
        aria-live="polite"
        aria-label={`Messages in ${props.title}`}
        tabIndex={0}
        ref={log}
        onScroll={onScroll}
        onKeyDown={(e) => moveBetweenMessages(e.currentTarget, e)}
      >
        {loadingOlder
          ? <p class="muted older" role="status">Loading older messages…</p>
          : hasMore && (
            <button type="button" class="older" onClick={older}>
              Load older messages
            </button>
          )}
        {!loaded && !failed && (
          <p class="muted empty" role="status">
            {isStandIn(store.activeId.value) ? "Opening the conversation…" : "Loading messages…"}
          </p>
        )}
        {loaded && messages.length === 0 && props.pending.length === 0 && (
          <p class="muted empty">No messages yet. Say hello!</p>
        )}
        <MessageList
          messages={messages}
          pending={props.pending}
          meId={meId}
          meName={store.me.value?.username}
          readBefore={readBefore}
          seen={props.conversation?.seen}
          foundId={found}
          moderates={canManage(props.conversation?.room?.role)}
          editingId={store.editing.value}
          blockedIds={new Set(store.snapshot.value?.blocked.map((u) => u.id) ?? [])}
          onHistory={(message) => {
            store.historyOf.value = message;
            store.dialog.value = "edit_history";
          }}
          onChange={{
            startEdit: (id) => {
              store.editing.value = id;
              if (id === null) document.getElementById("composer-input")?.focus();
            },
            edit: (id, text) => {
              store.editing.value = null;
              const before = messages.find((m) => m.id === id)?.text;
              if (text.trim() !== before) store.change({ type: "edit", messageId: id, text });
              document.getElementById("composer-input")?.focus();
            },
            remove: (id) => {
              store.change({ type: "delete", messageId: id });
              document.getElementById("composer-input")?.focus();
            },
            react: (id, emoji, on) => store.change({ type: "react", messageId: id, emoji, on }),
            reply: (message) => {
              store.replyingTo.value = message;
              document.getElementById("composer-input")?.focus();
            },
            quote: (id) => void store.showMessage(store.activeId.value, id),
          }}
          onName={(user, from) => store.showProfile(user, from)}
        />
        {held && (loadingNewer
          ? <p class="muted older" role="status">Loading newer messages…</p>
          : (
            <button type="button" class="older" onClick={newer}>
              Load newer messages
            </button>
          ))}
      </div>
      {held && (
        <button type="button" class="new-messages" onClick={jumpToNewest}>
          Jump to the newest messages ↓
        </button>
      )}
      {!held && unseen > 0 && !store.atBottom.value && (
        <button type="button" class="new-messages" onClick={jumpToNewest}>
          {unseen === 1 ? "1 new message" : `${unseen} new messages`} ↓
        </button>
      )}
    </>
  );
}
