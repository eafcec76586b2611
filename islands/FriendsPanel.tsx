// The left panel: who you are, conversations with unread badges, friends with presence,
// requests, "Add friend", and blocked users. On a phone it is a drawer.
import { effect } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { ConversationList } from "../components/friends/ConversationList.tsx";
import { FriendsSection } from "../components/friends/FriendsSection.tsx";
import { Me } from "../components/friends/Me.tsx";
import { RoomList } from "../components/rooms/RoomList.tsx";
import { useMounted } from "../components/LocalTime.tsx";
import { useNarrow } from "../components/useNarrow.ts";
import { island } from "../lib/islands.tsx";
import { LOBBY_ID, type Snapshot } from "../lib/wire.ts";
import { chatStore } from "./chat/store.ts";

type Props = { snapshot: Snapshot; activeId: number; heartbeatMs: number };

function FriendsPanel(props: Props) {
  const [store] = useState(() => {
    const s = chatStore();
    if (!s.snapshot.value) s.absorbSnapshot(props.snapshot);
    return s;
  });
  const snapshot = store.snapshot.value ?? props.snapshot;
  const activeId = useMounted() ? store.activeId.value : props.activeId;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    store.start({ heartbeatMs: props.heartbeatMs, snapshot });
    // A reload keeps the open conversation, if it is still one of the reader's.
    const linked = Number(/^#c(\d+)$/.exec(location.hash)?.[1]);
    if (snapshot.conversations.some((c) => c.id === linked)) store.open(linked);
    else if (location.hash) history.replaceState(null, "", "/");
    // A room taken away moves the page to the Lobby: the address follows, so a reload stays.
    const followLobby = effect(() => {
      if (store.activeId.value === LOBBY_ID && location.hash) history.replaceState(null, "", "/");
    });
    const closeOnEscape = (e: KeyboardEvent) =>
      e.key === "Escape" && !store.dialog.value && (store.drawerOpen.value = false);
    document.addEventListener("keydown", closeOnEscape);
    setReady(true);
    return () => {
      followLobby();
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, []);
  const open = store.drawerOpen.value;
  const narrow = useNarrow();
  const panel = useRef<HTMLElement>(null);
  const wasOpen = useRef(false);
  // At phone width the drawer is a modal: while open, nothing behind it takes focus; closed,
  // nothing in it does. Opening moves focus in, closing gives it back to the toggle.
  useEffect(() => {
    const behind = document.querySelectorAll<HTMLElement>(".topbar, main.conversation");
    behind.forEach((el) => (el.inert = narrow && open));
    if (narrow && open) panel.current?.querySelector<HTMLElement>(".drawer-close")?.focus();
    else if (narrow && wasOpen.current) {
      document.querySelector<HTMLElement>(".drawer-toggle")?.focus();
    }
    wasOpen.current = narrow && open;
  }, [narrow, open]);

  return (
    <aside
      id="sidebar"
      class={`sidebar${open ? " open" : ""}`}
      aria-label="Friends and conversations"
      data-ready={ready ? "" : undefined}
      ref={panel}
      inert={narrow && !open}
    >
      <button type="button" class="drawer-close" onClick={() => (store.drawerOpen.value = false)}>
        Close
      </button>
      <Me store={store} me={snapshot.me} />
      <ConversationList
        store={store}
        conversations={snapshot.conversations}
        activeId={activeId}
        meId={snapshot.me.id}
        friends={snapshot.friends}
      />
      <RoomList
        store={store}
        conversations={snapshot.conversations}
        activeId={activeId}
        meId={snapshot.me.id}
      />
      <FriendsSection store={store} snapshot={snapshot} />
    </aside>
  );
}

export default island("FriendsPanel", FriendsPanel);
