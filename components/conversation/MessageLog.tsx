// The open conversation's log. It follows new messages while the reader is at the bottom,
// offers "New messages ↓" when they are not, and loads older history at the top in place.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PendingMessage } from "../../islands/chat/state.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { MessageView } from "../../lib/wire.ts";
import { groupedWith, MessageItem } from "./MessageItem.tsx";
import { PendingItem } from "./PendingItem.tsx";

const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 40;

const nearBottom = (el: HTMLElement) =>
  el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;

export function MessageLog(
  props: {
    store: ChatStore;
    title: string;
    messages: MessageView[];
    pending: PendingMessage[];
    meId: number;
  },
) {
  const { store, messages } = props;
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true); // follow new messages while the reader is at the bottom
  const [unseenBelow, setUnseenBelow] = useState(false);
  const heightBeforeOlder = useRef<number | null>(null);
  const lastId = messages.at(-1)?.id ?? 0;
  const lastSeenId = useRef(lastId);
  const hasMore = store.hasMore.value.get(store.activeId.value);
  // Read where the reader is before this render reaches the DOM: a scroll whose event the
  // browser has not dispatched yet still counts, so a message arriving in that gap does not
  // yank the reader back to the bottom.
  if (log.current && heightBeforeOlder.current === null) stick.current = nearBottom(log.current);
  // What the reader sent themselves is never "new" to them: it brings them to the bottom.
  const pendingBefore = useRef(props.pending.length);
  if (props.pending.length > pendingBefore.current) stick.current = true;
  pendingBefore.current = props.pending.length;
  if (messages.at(-1)?.sender.id === props.meId && messages.at(-1)!.id > lastSeenId.current) {
    stick.current = true;
  }
  lastSeenId.current = Math.max(lastSeenId.current, lastId);

  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    if (heightBeforeOlder.current !== null) {
      el.scrollTop += el.scrollHeight - heightBeforeOlder.current; // older history: keep the reader's place
      heightBeforeOlder.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    } else {
      setUnseenBelow(true);
    }
  }, [lastId, messages.length, props.pending.length]);

  async function onScroll() {
    const el = log.current;
    if (!el) return; // a scroll event that arrives after switching to another conversation
    stick.current = nearBottom(el);
    if (stick.current) {
      setUnseenBelow(false);
      store.markActiveRead();
    }
    if (el.scrollTop < NEAR_TOP_PX && hasMore && heightBeforeOlder.current === null) {
      heightBeforeOlder.current = el.scrollHeight;
      await store.loadOlder();
    }
  }

  function jumpToNewest() {
    const el = log.current!;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    setUnseenBelow(false);
    store.markActiveRead();
  }

  return (
    <>
      <div
        class="log"
        role="log"
        aria-live="polite"
        aria-label={`Messages in ${props.title}`}
        tabIndex={0}
        ref={log}
        onScroll={onScroll}
      >
        {hasMore && (
          <button type="button" class="older" onClick={() => store.loadOlder()}>
            Load older messages
          </button>
        )}
        {messages.length === 0 && props.pending.length === 0 && (
          <p class="muted empty">No messages yet. Say hello!</p>
        )}
        <ol class="messages">
          {messages.map((message, i) => (
            <MessageItem
              key={message.id}
              message={message}
              mine={message.sender.id === props.meId}
              grouped={groupedWith(message, messages[i - 1])}
            />
          ))}
          {props.pending.map((p) => <PendingItem key={p.clientId} pending={p} />)}
        </ol>
      </div>
      {unseenBelow && (
        <button type="button" class="new-messages" onClick={jumpToNewest}>
          New messages ↓
        </button>
      )}
    </>
  );
}
