// Ctrl/⌘+K: type part of a name, Enter opens the first match (a conversation, or a friend's
// direct messages).
import { useState } from "preact/hooks";
import type { ChatStore } from "../../islands/chat/store.ts";
import { byRecency, nameOf } from "../friends/ConversationList.tsx";
import { Dialog } from "../Dialog.tsx";

type Target = { key: string; label: string; go: () => unknown };

function targets(store: ChatStore): Target[] {
  const snapshot = store.snapshot.value;
  if (!snapshot) return [];
  const conversations = byRecency(snapshot.conversations).map((c) => ({
    key: `c${c.id}`,
    label: nameOf(c),
    go: () => store.open(c.id),
  }));
  const withDm = new Set(snapshot.conversations.map((c) => c.with?.id));
  const friends = snapshot.friends.filter((f) => !withDm.has(f.id)).map((f) => ({
    key: `f${f.id}`,
    label: f.username,
    go: () => store.openDirect(f),
  }));
  return [...conversations, ...friends];
}

export function QuickSwitcher(props: { store: ChatStore; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const matches = targets(props.store).filter((t) =>
    t.label.toLowerCase().includes(query.trim().toLowerCase())
  );
  function go(target: Target | undefined) {
    if (!target) return;
    props.onClose();
    target.go();
  }
  return (
    <Dialog title="Go to a conversation" onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go(matches[0]);
        }}
      >
        <label for="switcher-input">Name</label>
        <input
          id="switcher-input"
          value={query}
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          onInput={(e) => setQuery(e.currentTarget.value)}
          aria-describedby="switcher-hint"
        />
        <p id="switcher-hint" class="muted">Enter opens the first match.</p>
      </form>
      <ul class="switcher-matches" aria-label="Matches">
        {matches.map((t) => (
          <li key={t.key}>
            <button type="button" onClick={() => go(t)}>{t.label}</button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
