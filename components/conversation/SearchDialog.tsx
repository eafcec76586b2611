// "Search messages", opened with `/` or the header's Search: a query, what it found newest
// first with the matching words marked (as text, from the message's text), and More results.
// A result opens its conversation at that message.
import { useState } from "preact/hooks";
import type { ChatStore } from "../../islands/chat/store.ts";
import { highlight, parseQuery } from "../../lib/search_text.ts";
import type { ConversationView, MessageView } from "../../lib/wire.ts";
import { nameOf } from "../friends/ConversationList.tsx";
import { Dialog } from "../Dialog.tsx";
import { LocalTime } from "../LocalTime.tsx";

const where = (c: ConversationView | undefined) =>
  !c ? "" : c.kind === "direct" ? `@ ${nameOf(c)}` : `# ${nameOf(c)}`;

export function SearchDialog(props: { store: ChatStore; onClose: () => void }) {
  const { store } = props;
  const found = store.search.results.value;
  const [query, setQuery] = useState(found.query);
  const asked = parseQuery(found.query);
  const phrases = "phrases" in asked ? asked.phrases : [];
  const conversations = new Map(store.snapshot.value?.conversations.map((c) => [c.id, c]));
  function open(message: MessageView) {
    props.onClose();
    void store.showMessage(message.conversationId, message.id);
  }
  return (
    <Dialog title="Search messages" onClose={props.onClose}>
      <form
        class="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void store.search.search(query);
        }}
      >
        <label for="search-input">Search for</label>
        <input
          id="search-input"
          type="search"
          value={query}
          autocomplete="off"
          spellcheck={false}
          maxLength={256}
          aria-describedby="search-hint"
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button type="submit" class="primary">Search</button>
        <p id="search-hint" class="muted">
          Words or their beginnings, "a phrase", from:name, in:#room or in:@friend,
          before:2026-01-31 or after:2026-01-01.
        </p>
      </form>
      <div role="status" class="search-status">
        {found.searching
          ? "Searching…"
          : found.error
          ? ""
          : found.query && (found.messages.length
            ? `${found.messages.length}${found.hasMore ? "+" : ""} found, newest first.`
            : "No messages found.")}
      </div>
      {found.error && <p class="field-error" role="alert">{found.error}</p>}
      {found.messages.length > 0 && (
        <ul class="search-results" aria-label="Results">
          {found.messages.map((message) => (
            <li key={message.id}>
              <button type="button" class="search-result" onClick={() => open(message)}>
                <span class="result-meta">
                  <span class="result-where">
                    {where(conversations.get(message.conversationId))}
                  </span>
                  {" · "}
                  <span class="sender">{message.sender.username}</span>{" "}
                  <LocalTime at={message.at} />
                </span>
                <span class="result-text">
                  {highlight(message.text, phrases).map((part, i) =>
                    part.hit ? <mark key={i}>{part.text}</mark> : part.text
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {found.hasMore && !found.searching && (
        <button
          type="button"
          onClick={() => void store.search.more()}
        >
          More results
        </button>
      )}
    </Dialog>
  );
}
