// The sidebar's rooms: each with its unread and mention badges, whether it is private or
// public (in words, not only a sign) and a line from its last message, and the two ways to get
// more: "New room" and "Browse rooms".
import type { ChatStore } from "../../islands/chat/store.ts";
import type { ConversationView } from "../../lib/wire.ts";
import { Badges, byRecency, Preview } from "../friends/ConversationList.tsx";
import { useMounted } from "../LocalTime.tsx";

export function RoomList(
  props: { store: ChatStore; conversations: ConversationView[]; activeId: number; meId: number },
) {
  const local = useMounted();
  const rooms = byRecency(props.conversations).filter((c) => c.kind === "room");
  const { store } = props;
  return (
    <nav class="panel-section" aria-labelledby="rooms-heading">
      <h2 id="rooms-heading">Rooms</h2>
      {rooms.length === 0 && (
        <p class="muted">
          No rooms yet: make one, or browse the public ones.
        </p>
      )}
      <ul class="rooms" aria-label="Your rooms">
        {rooms.map((c) => (
          <li key={c.id} class="conversation-item">
            <button
              type="button"
              class="conversation-link room-link"
              aria-current={c.id === props.activeId ? "page" : undefined}
              aria-describedby={c.latest ? `preview-${c.id}` : undefined}
              onClick={() => store.open(c.id)}
            >
              <span class="name"># {c.room?.name}</span>
              <span class="visibility">{c.room?.visibility}</span>
              <Badges conversation={c} />
            </button>
            <Preview conversation={c} meId={props.meId} local={local} />
          </li>
        ))}
      </ul>
      <div class="room-actions">
        <button type="button" onClick={() => (store.dialog.value = "new_room")}>New room</button>
        <button type="button" onClick={() => (store.dialog.value = "browse_rooms")}>
          Browse rooms
        </button>
      </div>
    </nav>
  );
}
