// The conversations, Lobby first and then the most recent, each with its unread badge and a
// line from its last message (who, what, when), so a DM reads as a conversation, not a
// second copy of the friend below.
import type { ChatStore } from "../../islands/chat/store.ts";
import { type ConversationView, UNREAD_CAP, type UserView } from "../../lib/wire.ts";
import { clockTime, dayLabel, sameDay, useMounted } from "../LocalTime.tsx";

export function ConversationList(
  props: {
    store: ChatStore;
    conversations: ConversationView[];
    activeId: number;
    meId: number;
    friends: UserView[];
  },
) {
  const local = useMounted();
  const friendIds = new Set(props.friends.map((f) => f.id));
  return (
    <nav class="panel-section" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">Conversations</h2>
      <ul class="conversations">
        {byRecency(props.conversations).filter((c) => c.kind !== "room").map((c) => (
          <li key={c.id} class="conversation-item">
            <button
              type="button"
              class="conversation-link"
              aria-current={c.id === props.activeId ? "page" : undefined}
              aria-describedby={c.latest ? `preview-${c.id}` : undefined}
              onClick={() =>
                props.store.open(c.id)}
            >
              <span class="name">
                {c.kind === "direct" ? `@ ${c.with?.username ?? "Direct"}` : `# ${nameOf(c)}`}
              </span>
              {c.with && !friendIds.has(c.with.id) && (
                <span class="muted not-friend">(not friends)</span>
              )}
              <Badges conversation={c} />
            </button>
            <Preview conversation={c} meId={props.meId} local={local} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Its unread count and, apart, how many of those mention the reader. */
export function Badges(props: { conversation: ConversationView }) {
  const { unread, mentions } = props.conversation;
  return (
    <>
      {mentions > 0 && (
        <span class="badge mention-badge">
          <span aria-hidden="true">@</span>
          {unreadBadge(mentions)}
          <span class="sr-only">{mentions === 1 ? " mention" : " mentions"}</span>
        </span>
      )}
      {unread > 0 && (
        <span class="badge">
          {unreadBadge(unread)}
          <span class="sr-only">unread</span>
        </span>
      )}
    </>
  );
}

/** The line under a conversation's name: its last message, who said it, and when. */
export function Preview(props: { conversation: ConversationView; meId: number; local: boolean }) {
  const c = props.conversation;
  if (!c.latest) return null;
  return (
    <p class="preview" id={`preview-${c.id}`}>
      <span class="preview-text">
        {previewPrefix(c, props.meId)}
        {c.latest.deleted ? <em>message deleted</em> : c.latest.text}
      </span>
      {props.local && (
        <time dateTime={new Date(c.latest.at).toISOString()}>{when(c.latest.at)}</time>
      )}
    </p>
  );
}

/** What a conversation is called: the Lobby, a room's name, the friend's in a DM. */
export const nameOf = (c: ConversationView): string =>
  c.room?.name ?? (c.kind === "lobby" ? "Lobby" : c.with?.username ?? "Direct");

/** In a DM, the partner's words need no name; elsewhere, who said it. */
function previewPrefix(c: ConversationView, meId: number): string {
  const sender = c.latest!.sender;
  if (sender.id === meId) return "You: ";
  return c.kind === "direct" ? "" : `${sender.username}: `;
}

/** 16:05 today, else the day's name or date. */
const when = (at: number) => {
  const now = Date.now();
  return sameDay(at, now) ? clockTime(at) : dayLabel(at, now);
};

/** The server stops counting at UNREAD_CAP, so a count that reached it means "at least". */
export const unreadBadge = (unread: number) =>
  unread >= UNREAD_CAP ? `${UNREAD_CAP}+` : String(unread);

const PLACE = { lobby: 0, direct: 1, room: 2 } as const;

/**
 * The sidebar's order, which Alt+↑/↓ follow too: the Lobby, the direct conversations, then the
 * rooms (their own section), each by latest activity.
 */
export function byRecency(conversations: ConversationView[]): ConversationView[] {
  return [...conversations].sort((a, b) => {
    const place = PLACE[a.kind] - PLACE[b.kind];
    if (place) return place;
    return (b.latest?.id ?? 0) - (a.latest?.id ?? 0) || b.id - a.id;
  });
}
