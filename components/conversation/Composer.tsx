// The message box, holding the open conversation's draft: Enter sends, Shift+Enter breaks
// the line, typing is announced (rate-limited), and near the length limit a counter shows.
import { useEffect, useRef } from "preact/hooks";
import type { ChatStore } from "../../islands/chat/store.ts";
import { NARROW_QUERY } from "../useNarrow.ts";
import { useMentionPicker } from "./MentionPicker.tsx";
import { MAX_MESSAGE_CHARS, TYPING_EVERY_MS, TYPING_SHOWN_MS } from "../../lib/wire.ts";

/** The counter shows from here: far enough ahead to plan, not so early that it nags. */
const COUNTER_FROM = MAX_MESSAGE_CHARS - 500;
const TYPING_MARGIN_MS = 100; // frames arrive with jitter; a repeat a hair early is dropped

export function Composer(props: { store: ChatStore; conversationId: number; title: string }) {
  const { store, conversationId } = props;
  const text = store.drafts.value.get(conversationId) ?? ""; // each conversation keeps its own
  const setText = (value: string) => store.setDraft(conversationId, value);
  const lastTyping = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const mentions = useMentionPicker(store, conversationId, setText, input);
  const reply = store.replyingTo.value;
  const replying = reply?.conversationId === conversationId ? reply : null;
  useEffect(() => { // not on a phone: the keyboard would pop up over the conversation
    if (!matchMedia(`${NARROW_QUERY}, (pointer: coarse)`).matches) input.current?.focus();
  }, [props.title]);
  // Typing is announced at most every TYPING_EVERY_MS (the server drops more). A keystroke
  // inside that wait is announced when it ends, so typing again right after sending shows.
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(typingTimer.current), []);
  function announceTyping() {
    const wait = lastTyping.current + TYPING_EVERY_MS + TYPING_MARGIN_MS - Date.now();
    if (wait <= 0) {
      lastTyping.current = Date.now();
      return store.typingNow();
    }
    typingTimer.current ??= setTimeout(() => {
      typingTimer.current = undefined;
      if (input.current?.value.trim()) announceTyping();
    }, wait);
  }
  const length = [...text.trim()].length; // characters, as the server counts them
  const over = length - MAX_MESSAGE_CHARS;
  function send() {
    if (!text.trim() || over > 0) return; // never cut: the text stays for the writer to trim
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
      {replying && (
        <p class="replying" id="composer-replying">
          <span>
            Replying to <strong>{replying.sender.username}</strong>:{" "}
            <span class="quote-text">{replying.deleted ? "deleted message" : replying.text}</span>
          </span>
          <button
            type="button"
            aria-label="Cancel reply"
            onClick={() => {
              store.replyingTo.value = null;
              input.current?.focus();
            }}
          >
            ×
          </button>
        </p>
      )}
      <label for="composer-input" class="sr-only">Message</label>
      <textarea
        id="composer-input"
        ref={input}
        rows={2}
        value={text}
        placeholder={`Message ${props.title}`}
        aria-invalid={over > 0 ? "true" : undefined}
        aria-describedby={[
          length >= COUNTER_FROM ? "composer-count" : "",
          replying ? "composer-replying" : "",
        ].filter(Boolean).join(" ") || undefined}
        {...mentions.textareaProps}
        onClick={(e) => mentions.follow(e.currentTarget)}
        onKeyUp={(e) => { // the caret moved: into a mention, or out of one
          const along = ["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key);
          if (along || (!mentions.shown && e.key.startsWith("Arrow"))) {
            mentions.follow(e.currentTarget);
          }
        }}
        onBlur={() => mentions.close()}
        onInput={(e) => {
          setText(e.currentTarget.value);
          mentions.follow(e.currentTarget);
          if (e.currentTarget.value.trim()) return announceTyping();
          clearTimeout(typingTimer.current);
          typingTimer.current = undefined;
          // Cleared while the others may still see "typing": tell them it stopped.
          if (Date.now() - lastTyping.current < TYPING_SHOWN_MS) store.typingStopped();
          lastTyping.current = 0; // typing again is announced at once
        }}
        onKeyDown={(e) => {
          if (mentions.onKey(e)) return;
          if (e.key === "Escape" && replying) {
            e.stopPropagation();
            store.replyingTo.value = null;
            return;
          }
          if (e.key === "ArrowUp" && !e.currentTarget.value && !e.altKey && !e.ctrlKey) {
            // ↑ in an empty box edits your last message, as in most chats
            const mine = (store.messages.value.get(conversationId) ?? []).findLast((m) =>
              m.sender.id === store.me.value?.id && !m.deleted
            );
            if (mine) {
              e.preventDefault();
              store.editing.value = mine.id;
            }
            return;
          }
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      {mentions.picker}
      <button type="submit" class="primary" disabled={over > 0}>Send</button>
      {length >= COUNTER_FROM && (
        <p id="composer-count" class={over > 0 ? "count field-error" : "count muted"}>
          {over > 0
            ? `${over} characters over the ${MAX_MESSAGE_CHARS}-character limit: shorten it to send.`
            : `${-over} characters left`}
        </p>
      )}
    </form>
  );
}
