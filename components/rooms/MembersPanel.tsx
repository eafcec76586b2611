// The open room's members, in the order they joined, kept up to date by room_member frames.
// Beside the conversation on a wide screen; a drawer at phone width, where the page behind it
// is inert while it is open. Opening moves focus in; Escape or Close gives it back.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import { memberPresence } from "../../islands/chat/rooms.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { RoomSummary } from "../../lib/wire.ts";
import { useNarrow } from "../useNarrow.ts";
import { MemberItem } from "./MemberItem.tsx";

const PRESENCE_REFRESH_MS = 30_000;

export function MembersPanel(props: { store: ChatStore; roomId: number; room: RoomSummary }) {
  const { store, roomId } = props;
  const [error, setError] = useState("");
  const [now, setNow] = useState(Date.now());
  const panel = useRef<HTMLElement>(null);
  const narrow = useNarrow();
  // Back from a lost connection, the list may have missed changes: ask again.
  const live = store.connection.value === "live";
  useEffect(() => {
    if (!live) return;
    let current = true;
    void api.roomMembers(roomId).then((list) => {
      if (!current) return;
      setError(list.ok ? "" : list.message);
      if (list.ok) store.members.value = { conversationId: roomId, members: list.value };
    });
    return () => void (current = false);
  }, [roomId, live]);
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>(".members-close")?.focus();
    const timer = setInterval(() => setNow(Date.now()), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const behind = useRef<HTMLElement[]>([]);
  const uncover = () => behind.current.forEach((el) => (el.inert = false));
  useEffect(() => {
    behind.current = [
      ...document.querySelectorAll<HTMLElement>(
        ".topbar, main.conversation > :not(.members-panel)",
      ),
    ];
    behind.current.forEach((el) => (el.inert = narrow));
    return uncover;
  }, [narrow]);
  const close = () => {
    uncover(); // first, or the toggle could not take the focus
    store.membersOpen.value = false;
    document.querySelector<HTMLElement>(".members-toggle")?.focus();
  };
  const list = store.members.value;
  const members = list?.conversationId === roomId ? list.members : null;
  const friends = store.snapshot.value?.friends ?? [];
  const meId = store.me.value?.id ?? 0;
  return (
    <aside
      id="members-panel"
      ref={panel}
      class="members-panel"
      aria-labelledby="members-heading"
      onKeyDown={(e) => e.key === "Escape" && (e.stopPropagation(), close())}
    >
      <div class="members-top">
        <h2 id="members-heading">
          Members{members && ` (${members.length})`}
        </h2>
        <button type="button" class="members-close" aria-label="Close members" onClick={close}>
          Close
        </button>
      </div>
      {props.room.topic && <p class="members-topic">{props.room.topic}</p>}
      {error && <p class="field-error" role="alert">Members could not be loaded: {error}</p>}
      {!members && !error && <p class="muted">Loading…</p>}
      <ul class="members" aria-label={`Members of ${props.room.name}`}>
        {members?.map((member) => (
          <MemberItem
            key={member.id}
            roomId={roomId}
            member={member}
            myRole={props.room.role}
            meId={meId}
            presence={memberPresence(member, friends, live ? now : null, live)}
          />
        ))}
      </ul>
    </aside>
  );
}
