// "Browse rooms": the public directory, searched as one types, with member counts, topics
// and a Join button (or Open, for a room one is in already).
import { useEffect, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { RoomView } from "../../lib/wire.ts";
import { Dialog } from "../Dialog.tsx";
import { enterRoom } from "./enterRoom.ts";

const SEARCH_PAUSE_MS = 200; // one request when the typing pauses, not one per key

export function BrowseRoomsDialog(props: { store: ChatStore; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [rooms, setRooms] = useState<RoomView[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    let current = true;
    const timer = setTimeout(async () => {
      const found = await api.roomDirectory(query.trim());
      if (!current) return;
      setError(found.ok ? "" : found.message);
      if (found.ok) setRooms(found.value);
    }, query ? SEARCH_PAUSE_MS : 0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  async function join(room: RoomView) {
    const joined = room.role ? { ok: true as const } : await api.joinRoom(room.id);
    if (!joined.ok) return setError(`Join ${room.name} failed: ${joined.message}`);
    props.onClose();
    enterRoom(props.store, room.id);
  }
  return (
    <Dialog title="Browse rooms" onClose={props.onClose}>
      <form class="room-form" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="room-search">Search public rooms</label>
        <input
          id="room-search"
          type="search"
          value={query}
          autocomplete="off"
          aria-describedby="room-search-status"
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </form>
      <p id="room-search-status" class="muted" role="status">{statusOf(rooms, query)}</p>
      <p class="field-error" role="alert">{error}</p>
      <ul class="directory" aria-label="Public rooms">
        {(rooms ?? []).map((room) => (
          <li key={room.id}>
            <div class="directory-room">
              <span class="name"># {room.name}</span>
              <span class="muted">{members(room.memberCount)}</span>
              {room.topic && <span class="topic">{room.topic}</span>}
            </div>
            <button
              type="button"
              aria-label={`${room.role ? "Open" : "Join"} ${room.name}`}
              onClick={() => join(room)}
            >
              {room.role ? "Open" : "Join"}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

const members = (count: number) => `${count} ${count === 1 ? "member" : "members"}`;

function statusOf(rooms: RoomView[] | null, query: string): string {
  if (!rooms) return "Looking…";
  if (rooms.length) return `${rooms.length} ${rooms.length === 1 ? "room" : "rooms"}`;
  return query.trim() ? "No public room matches." : "No public rooms yet.";
}
