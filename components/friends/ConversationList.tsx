// The conversations, Lobby first and then the most recent, each with its unread badge.
import type { ChatStore } from "../../islands/chat/store.ts";
import { type ConversationView, UNREAD_CAP } from "../../lib/wire.ts";

export function ConversationList(
  props: { store: ChatStore; conversations: ConversationView[]; activeId: number },
) {
  return (
    <nav class="panel-section" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">Conversations</h2>
      <ul class="conversations">
        {byRecency(props.conversations).map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class="conversation-link"
              aria-current={c.id === props.activeId ? "page" : undefined}
              onClick={() => props.store.open(c.id)}
            >
              <span class="name">
                {c.kind === "lobby" ? "# Lobby" : `@ ${c.with?.username ?? "Direct"}`}
              </span>
              {c.unread > 0 && (
                <span class="badge">
                  {unreadBadge(c.unread)}
                  <span class="sr-only">unread</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The server stops counting at UNREAD_CAP, so a count that reached it means "at least". */
export const unreadBadge = (unread: number) =>
  unread >= UNREAD_CAP ? `${UNREAD_CAP}+` : String(unread);

function byRecency(conversations: ConversationView[]): ConversationView[] {
  return [...conversations].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "lobby" ? -1 : 1;
    return (b.latest?.id ?? 0) - (a.latest?.id ?? 0) || b.id - a.id;
  });
}
