// The right side: the open conversation's log, who is typing, and the composer.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { LocalTime, useMounted } from "../components/LocalTime.tsx";
import { MessageText } from "../components/MessageText.tsx";
import { island } from "../lib/islands.tsx";
import { LOBBY_ID, MAX_MESSAGE_CHARS, type MessageView, TYPING_EVERY_MS } from "../lib/wire.ts";
import {
  type ChatStore,
  chatStore,
  type ConversationPart,
  type PendingMessage,
} from "./chat_store.ts";

const GROUP_WITHIN_MS = 5 * 60_000; // consecutive messages from one sender within this share a header
const NEAR_BOTTOM_PX = 80;

const nearBottom = (el: HTMLElement) =>
  el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;

function ConversationPane(props: ConversationPart & { title: string }) {
  const [store] = useState(() => {
    const s = chatStore();
    s.absorbConversation(props);
    return s;
  });
  const mounted = useMounted();
  const activeId = mounted ? store.activeId.value : props.activeId;
  const conversation = store.snapshot.value?.conversations.find((c) => c.id === activeId);
  const title = !mounted
    ? props.title
    : conversation?.kind === "direct"
    ? conversation.with!.username
    : "Lobby";
  const messages = store.messages.value.get(activeId) ?? [];
  const pending = store.pending.value.filter((p) => p.conversationId === activeId);
  const me = store.me.value ?? props.me;
  const connection = store.connection.value;

  return (
    <main class="conversation" data-ready={mounted ? "" : undefined} data-connection={connection}>
      <header class="conversation-header">
        <button
          type="button"
          class="drawer-toggle"
          aria-controls="sidebar"
          aria-expanded={store.drawerOpen.value}
          onClick={() => (store.drawerOpen.value = !store.drawerOpen.value)}
        >
          Friends
        </button>
        <h1>{activeId === LOBBY_ID ? `# ${title}` : `@ ${title}`}</h1>
      </header>
      {mounted && connection === "reconnecting" && (
        <p class="banner" role="status">
          Reconnecting… your messages will be sent when the connection is back.
        </p>
      )}
      <Log
        store={store}
        key={activeId}
        title={title}
        messages={messages}
        pending={pending}
        meId={me.id}
      />
      <Typing store={store} conversationId={activeId} />
      <Composer store={store} title={title} />
    </main>
  );
}

function Log(
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
  // Read where the reader is before this render reaches the DOM: a scroll whose event the
  // browser has not dispatched yet still counts, so a message arriving in that gap does not
  // yank the reader back to the bottom.
  if (log.current && heightBeforeOlder.current === null) stick.current = nearBottom(log.current);

  useLayoutEffect(() => {
    const el = log.current!;
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
    const el = log.current!;
    stick.current = nearBottom(el);
    if (stick.current) {
      setUnseenBelow(false);
      store.markActiveRead();
    }
    if (
      el.scrollTop < 40 && store.hasMore.value.get(store.activeId.value) &&
      heightBeforeOlder.current === null
    ) {
      heightBeforeOlder.current = el.scrollHeight;
      await store.loadOlder();
    }
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
        {store.hasMore.value.get(store.activeId.value) && (
          <button
            type="button"
            class="older"
            onClick={() => store.loadOlder()}
          >
            Load older messages
          </button>
        )}
        {messages.length === 0 && props.pending.length === 0 && (
          <p class="muted empty">No messages yet. Say hello!</p>
        )}
        <ol class="messages">
          {messages.map((message, i) => {
            const previous = messages[i - 1];
            const grouped = previous?.sender.id === message.sender.id &&
              message.at - previous.at < GROUP_WITHIN_MS;
            return (
              <Message
                key={message.id}
                message={message}
                mine={message.sender.id === props.meId}
                grouped={grouped}
              />
            );
          })}
          {props.pending.map((p) => <Pending key={p.clientId} store={store} pending={p} />)}
        </ol>
      </div>
      {unseenBelow && (
        <button
          type="button"
          class="new-messages"
          onClick={() => {
            const el = log.current!;
            el.scrollTop = el.scrollHeight;
            stick.current = true;
            setUnseenBelow(false);
            store.markActiveRead();
          }}
        >
          New messages ↓
        </button>
      )}
    </>
  );
}

function Message(props: { message: MessageView; mine: boolean; grouped: boolean }) {
  const { message } = props;
  return (
    <li
      class={`message ${props.mine ? "mine" : "theirs"}${props.grouped ? " grouped" : ""}`}
      data-id={message.id}
    >
      <div class="meta">
        <span class={props.grouped ? "sender sr-only" : "sender"}>
          {props.mine ? "You" : message.sender.username}
        </span>{" "}
        <LocalTime at={message.at} />
      </div>
      <MessageText text={message.text} />
    </li>
  );
}

function Pending(props: { store: ChatStore; pending: PendingMessage }) {
  const { pending } = props;
  return (
    <li class={`message mine pending ${pending.status}`}>
      <div class="meta">
        <span class="sender">You</span>{" "}
        <span class="status">{pending.status === "sending" ? "sending…" : "failed"}</span>
      </div>
      <MessageText text={pending.text.trim()} />
      {pending.status === "failed" && (
        <p class="failure">
          <span>{pending.error}</span>{" "}
          <button type="button" onClick={() => props.store.retry(pending.clientId)}>
            Failed — retry
          </button>
        </p>
      )}
    </li>
  );
}

function Typing(props: { store: ChatStore; conversationId: number }) {
  const names = [...(props.store.typing.value.get(props.conversationId)?.keys() ?? [])];
  const text = names.length === 0
    ? ""
    : names.length === 1
    ? `${names[0]} is typing…`
    : names.length === 2
    ? `${names[0]} and ${names[1]} are typing…`
    : "Several people are typing…";
  return <p class="typing" aria-live="polite">{text}</p>;
}

function Composer(props: { store: ChatStore; title: string }) {
  const [text, setText] = useState("");
  const lastTyping = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), [props.title]);
  function send() {
    if (!text.trim()) return;
    props.store.send(text);
    setText("");
  }
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="composer-input" class="sr-only">Message</label>
      <textarea
        id="composer-input"
        ref={input}
        rows={2}
        maxLength={MAX_MESSAGE_CHARS}
        value={text}
        placeholder={`Message ${props.title}`}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
            lastTyping.current = Date.now();
            props.store.typingNow();
          }
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="primary">Send</button>
    </form>
  );
}

export default island("ConversationPane", ConversationPane);
