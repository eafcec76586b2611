// The right side: the open conversation's log, who is typing, and the composer.
import { useEffect, useState } from "preact/hooks";
import { Composer } from "../components/conversation/Composer.tsx";
import { FailedBar } from "../components/conversation/FailedBar.tsx";
import { ProfileCard } from "../components/conversation/ProfileCard.tsx";
import { QuickSwitcher } from "../components/conversation/QuickSwitcher.tsx";
import { SearchDialog } from "../components/conversation/SearchDialog.tsx";
import { EditHistoryDialog } from "../components/conversation/EditHistoryDialog.tsx";
import { ShortcutsDialog } from "../components/conversation/ShortcutsDialog.tsx";
import { MessageLog } from "../components/conversation/MessageLog.tsx";
import { TypingLine } from "../components/conversation/TypingLine.tsx";
import { nameOf } from "../components/friends/ConversationList.tsx";
import { useMounted } from "../components/LocalTime.tsx";
import { MembersPanel } from "../components/rooms/MembersPanel.tsx";
import { RoomHeader } from "../components/rooms/RoomHeader.tsx";
import { island } from "../lib/islands.tsx";
import { isStandIn } from "./chat/direct.ts";
import type { ConversationPart } from "./chat/state.ts";
import { newElsewhere } from "./chat/unread.ts";
import { shortcut } from "./chat/shortcuts.ts";
import { chatStore } from "./chat/store.ts";

function ConversationPane(props: ConversationPart & { title: string }) {
  const [store] = useState(() => {
    const s = chatStore();
    s.absorbConversation(props);
    return s;
  });
  const mounted = useMounted();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (shortcut(store, e)) return;
      if (e.key === "Escape" && !store.dialog.value) store.markActiveRead(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const activeId = mounted ? store.activeId.value : props.activeId;
  const conversation = store.snapshot.value?.conversations.find((c) => c.id === activeId);
  const title = !mounted
    ? props.title
    : conversation
    ? nameOf(conversation)
    : store.unopened.value.get(activeId)?.username ?? "Lobby";
  const messages = store.messages.value.get(activeId) ?? [];
  const pending = store.pending.value.filter((p) => p.conversationId === activeId);
  const me = store.me.value ?? props.me;
  const connection = store.connection.value;
  // A conversation that could not be opened says why once: in the failed bar, if it holds any.
  const historyError = isStandIn(activeId) && pending.some((p) => p.status === "failed")
    ? null
    : store.historyError.value;
  const profile = store.profile.value;
  const closeDialog = () => (store.dialog.value = null);
  const room = mounted ? conversation?.room : undefined;
  const membersOpen = room && store.membersOpen.value;
  const direct = conversation?.kind === "direct" || store.unopened.value.has(activeId);

  return (
    <main
      class={`conversation${membersOpen ? " members-open" : ""}`}
      data-ready={mounted ? "" : undefined}
      data-connection={connection}
    >
      <header class="conversation-header">
        <button
          type="button"
          class="drawer-toggle"
          aria-controls="sidebar"
          aria-expanded={store.drawerOpen.value}
          onClick={() => (store.drawerOpen.value = !store.drawerOpen.value)}
        >
          Friends
          {mounted && newElsewhere(store.snapshot.value, activeId) && (
            <span class="new-dot">
              <span class="sr-only">(something new)</span>
            </span>
          )}
        </button>
        <h1>{direct ? `@ ${title}` : `# ${title}`}</h1>
        {room && <RoomHeader store={store} roomId={activeId} room={room} />}
        <button
          type="button"
          class="search-open"
          aria-haspopup="dialog"
          aria-keyshortcuts="/"
          onClick={() => (store.dialog.value = "search")}
        >
          Search <kbd aria-hidden="true">/</kbd>
        </button>
      </header>
      <div class="notice-region" role="status">
        {mounted && store.notice.value && (
          <p class="banner">
            {store.notice.value}{" "}
            <button type="button" onClick={() => (store.notice.value = null)}>Dismiss</button>
          </p>
        )}
      </div>
      {mounted && connection === "reconnecting" && (
        <p class="banner" role="status">
          Reconnecting… your messages will be sent when the connection is back.
        </p>
      )}
      {historyError?.conversationId === activeId && (
        <p class="banner" role="alert">
          {isStandIn(activeId)
            ? "The conversation could not be opened"
            : "Messages could not be loaded"}: {historyError.message}
        </p>
      )}
      <MessageLog
        store={store}
        key={activeId}
        title={title}
        conversation={conversation}
        messages={messages}
        pending={pending}
        meId={me.id}
      />
      {profile && store.snapshot.value && (
        <ProfileCard store={store} user={profile.user} snapshot={store.snapshot.value} />
      )}
      {store.dialog.value === "shortcuts" && <ShortcutsDialog onClose={closeDialog} />}
      {store.dialog.value === "edit_history" && store.historyOf.value && (
        <EditHistoryDialog message={store.historyOf.value} onClose={closeDialog} />
      )}
      {store.dialog.value === "switcher" && <QuickSwitcher store={store} onClose={closeDialog} />}
      {store.dialog.value === "search" && <SearchDialog store={store} onClose={closeDialog} />}
      <FailedBar store={store} pending={pending} />
      <TypingLine store={store} conversationId={activeId} />
      <Composer store={store} conversationId={activeId} title={title} />
      {membersOpen && <MembersPanel store={store} roomId={activeId} room={room} />}
    </main>
  );
}

export default island("ConversationPane", ConversationPane);
