// "New room": a name, a topic if wanted, and who can join. The server's refusal shows under
// the name, announced.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import { MAX_ROOM_NAME_CHARS, MAX_ROOM_TOPIC_CHARS, type RoomVisibility } from "../../lib/wire.ts";
import { Dialog } from "../Dialog.tsx";
import { enterRoom } from "./enterRoom.ts";

export function NewRoomDialog(props: { store: ChatStore; onClose: () => void }) {
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [visibility, setVisibility] = useState<RoomVisibility>("private");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function create(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError("Name the room.");
    setBusy(true);
    const made = await api.createRoom({ name, topic, visibility });
    setBusy(false);
    if (!made.ok) return setError(made.message);
    props.onClose();
    enterRoom(props.store, made.value.id);
  }
  return (
    <Dialog title="New room" onClose={props.onClose}>
      <form class="room-form" onSubmit={create} noValidate>
        <div class="field">
          <label for="room-name">Name</label>
          <input
            id="room-name"
            value={name}
            maxLength={MAX_ROOM_NAME_CHARS}
            autocomplete="off"
            aria-invalid={error ? "true" : undefined}
            aria-describedby="room-name-error"
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <p id="room-name-error" class="field-error" role="alert">{error}</p>
        </div>
        <div class="field">
          <label for="room-topic">Topic (optional)</label>
          <input
            id="room-topic"
            value={topic}
            maxLength={MAX_ROOM_TOPIC_CHARS}
            autocomplete="off"
            onInput={(e) => setTopic(e.currentTarget.value)}
          />
        </div>
        <fieldset class="visibility-choice">
          <legend>Who can join</legend>
          <label>
            <input
              type="radio"
              name="visibility"
              checked={visibility === "private"}
              onChange={() => setVisibility("private")}
            />
            Private: only people you invite
          </label>
          <label>
            <input
              type="radio"
              name="visibility"
              checked={visibility === "public"}
              onChange={() => setVisibility("public")}
            />
            Public: listed in Browse rooms, anyone can join
          </label>
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>Create room</button>
      </form>
    </Dialog>
  );
}
