// The rooms' dialogs, outside both the panel and the conversation, so that neither being a
// closed drawer (inert, at phone width) can take the dialog's focus away.
import { BrowseRoomsDialog } from "../components/rooms/BrowseRoomsDialog.tsx";
import { NewRoomDialog } from "../components/rooms/NewRoomDialog.tsx";
import { RoomFormDialog } from "../components/rooms/RoomFormDialog.tsx";
import { useMounted } from "../components/LocalTime.tsx";
import { island } from "../lib/islands.tsx";
import { chatStore } from "./chat/store.ts";

function RoomDialogs(_props: Record<string, never>) {
  const store = chatStore();
  const mounted = useMounted();
  if (!mounted) return null;
  const dialog = store.dialog.value;
  const close = () => (store.dialog.value = null);
  if (dialog === "new_room") return <NewRoomDialog store={store} onClose={close} />;
  if (dialog === "browse_rooms") return <BrowseRoomsDialog store={store} onClose={close} />;
  if (dialog !== "rename_room" && dialog !== "room_topic" && dialog !== "invite") return null;
  const roomId = store.activeId.value;
  const room = store.snapshot.value?.conversations.find((c) => c.id === roomId)?.room;
  if (!room) return null;
  return <RoomFormDialog store={store} form={dialog} roomId={roomId} room={room} onClose={close} />;
}

export default island("RoomDialogs", RoomDialogs);
