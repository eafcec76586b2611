// What the header adds for a room: its topic, the members panel's toggle, and its menu.
import type { ChatStore } from "../../islands/chat/store.ts";
import type { RoomSummary } from "../../lib/wire.ts";
import { RoomMenu } from "./RoomMenu.tsx";

export function RoomHeader(props: { store: ChatStore; roomId: number; room: RoomSummary }) {
  const { store, room } = props;
  return (
    <>
      <p class="room-about">
        <span class="visibility">{room.visibility}</span>
        {room.topic && <span class="room-topic">{room.topic}</span>}
      </p>
      <button
        type="button"
        class="members-toggle"
        aria-controls="members-panel"
        aria-expanded={store.membersOpen.value}
        onClick={() => (store.membersOpen.value = !store.membersOpen.value)}
      >
        Members
      </button>
      <RoomMenu store={store} roomId={props.roomId} room={room} />
    </>
  );
}
