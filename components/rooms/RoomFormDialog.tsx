// The open room's one-field dialogs: rename it, change its topic, invite a friend. The socket
// brings the change to every member; the dialog only says whether it was made.
import { useEffect, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import { invitable } from "../../islands/chat/rooms.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import { MAX_ROOM_NAME_CHARS, MAX_ROOM_TOPIC_CHARS, type RoomSummary } from "../../lib/wire.ts";
import { Dialog } from "../Dialog.tsx";

export type RoomForm = "rename_room" | "room_topic" | "invite";

const TITLES: Record<RoomForm, string> = {
  rename_room: "Rename the room",
  room_topic: "Change the topic",
  invite: "Invite a friend",
};

export function RoomFormDialog(
  props: {
    store: ChatStore;
    form: RoomForm;
    roomId: number;
    room: RoomSummary;
    onClose: () => void;
  },
) {
  const { store, form, roomId, room } = props;
  const [text, setText] = useState(
    form === "rename_room" ? room.name : form === "room_topic" ? room.topic : "",
  );
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    const done = form === "invite"
      ? await api.inviteToRoom(roomId, text)
      : await api.updateRoom(roomId, form === "rename_room" ? { name: text } : { topic: text });
    setBusy(false);
    if (done.ok) props.onClose();
    else setError(done.message);
  }
  return (
    <Dialog title={TITLES[form]} onClose={props.onClose}>
      <form class="room-form" onSubmit={submit} noValidate>
        <div class="field">
          {form === "invite"
            ? <FriendChoice store={store} roomId={roomId} chosen={text} choose={setText} />
            : (
              <>
                <label for="room-field">{form === "rename_room" ? "Name" : "Topic"}</label>
                <input
                  id="room-field"
                  value={text}
                  autocomplete="off"
                  maxLength={form === "rename_room" ? MAX_ROOM_NAME_CHARS : MAX_ROOM_TOPIC_CHARS}
                  aria-invalid={error ? "true" : undefined}
                  aria-describedby="room-field-error"
                  onInput={(e) => setText(e.currentTarget.value)}
                />
              </>
            )}
          <p id="room-field-error" class="field-error" role="alert">{error}</p>
        </div>
        {(form !== "invite" || text) && ( // nobody to invite: nothing to press
          <button type="submit" class="primary" disabled={busy}>
            {form === "invite" ? "Invite" : "Save"}
          </button>
        )}
      </form>
    </Dialog>
  );
}

/** The friends not in the room yet, to choose one from. */
function FriendChoice(
  props: { store: ChatStore; roomId: number; chosen: string; choose: (name: string) => void },
) {
  const { store, roomId } = props;
  const members = store.members.value;
  useEffect(() => {
    if (members?.conversationId === roomId) return;
    void api.roomMembers(roomId).then((list) => {
      if (list.ok) store.members.value = { conversationId: roomId, members: list.value };
    });
  }, [roomId]);
  const loaded = members?.conversationId === roomId ? members.members : null;
  const friends = loaded ? invitable(store.snapshot.value?.friends ?? [], loaded) : [];
  useEffect(() => {
    if (!props.chosen && friends[0]) props.choose(friends[0].username);
  }, [friends[0]?.username]);
  if (!loaded) return <p class="muted" role="status">Looking for your friends…</p>;
  if (!friends.length) {
    return <p class="muted" role="status">Every one of your friends is in this room already.</p>;
  }
  return (
    <>
      <label for="room-field">Friend</label>
      <select
        id="room-field"
        value={props.chosen}
        aria-describedby="room-field-error"
        onChange={(e) => props.choose(e.currentTarget.value)}
      >
        {friends.map((f) => <option key={f.id} value={f.username}>{f.username}</option>)}
      </select>
    </>
  );
}
