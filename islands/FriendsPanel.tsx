// The left panel: who you are, conversations with unread badges, friends with presence,
// requests, "Add friend", and blocked users. On a phone it is a drawer.
import { useEffect, useRef, useState } from "preact/hooks";
import { ago, useMounted } from "../components/LocalTime.tsx";
import { island } from "../lib/islands.tsx";
import {
  type ConversationView,
  type FriendView,
  type Snapshot,
  UNREAD_CAP,
  type UserView,
} from "../lib/wire.ts";
import { api, type ChatStore, chatStore, errorMessage } from "./chat_store.ts";

function FriendsPanel(props: { snapshot: Snapshot; activeId: number; heartbeatMs: number }) {
  const [store] = useState(() => {
    const s = chatStore();
    if (!s.snapshot.value) s.absorbSnapshot(props.snapshot);
    return s;
  });
  const snapshot = store.snapshot.value ?? props.snapshot;
  const activeId = useMounted() ? store.activeId.value : props.activeId;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    store.start(props.heartbeatMs);
    const linked = /^#c(\d+)$/.exec(location.hash); // a reload keeps the open conversation
    if (linked) store.open(Number(linked[1]));
    const closeOnEscape = (e: KeyboardEvent) =>
      e.key === "Escape" && (store.drawerOpen.value = false);
    document.addEventListener("keydown", closeOnEscape);
    setReady(true);
    return () => document.removeEventListener("keydown", closeOnEscape);
  }, []);
  const open = store.drawerOpen.value;

  return (
    <aside
      id="sidebar"
      class={`sidebar${open ? " open" : ""}`}
      aria-label="Friends and conversations"
      data-ready={ready ? "" : undefined}
    >
      <button type="button" class="drawer-close" onClick={() => (store.drawerOpen.value = false)}>
        Close
      </button>
      <Me store={store} snapshot={snapshot} />
      <Conversations store={store} conversations={snapshot.conversations} activeId={activeId} />
      <Friends store={store} snapshot={snapshot} />
    </aside>
  );
}

function Me(props: { store: ChatStore; snapshot: Snapshot }) {
  const { me } = props.snapshot;
  return (
    <section class="me" aria-label="You">
      <p>
        Signed in as <strong>{me.username}</strong>
      </p>
      <label class="toggle">
        <input
          type="checkbox"
          checked={me.appearOffline}
          onChange={(e) => props.store.setAppearOffline(e.currentTarget.checked)}
        />{" "}
        Appear offline
      </label>
    </section>
  );
}

function conversationTitle(c: ConversationView): string {
  return c.kind === "lobby" ? "Lobby" : c.with?.username ?? "Direct";
}

function Conversations(
  props: { store: ChatStore; conversations: ConversationView[]; activeId: number },
) {
  const sorted = [...props.conversations].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "lobby" ? -1 : 1;
    return (b.latest?.id ?? 0) - (a.latest?.id ?? 0) || b.id - a.id;
  });
  return (
    <nav class="panel-section" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">Conversations</h2>
      <ul class="conversations">
        {sorted.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class="conversation-link"
              aria-current={c.id === props.activeId ? "page" : undefined}
              onClick={() => props.store.open(c.id)}
            >
              <span class="name">
                {c.kind === "lobby" ? "# Lobby" : `@ ${conversationTitle(c)}`}
              </span>
              {c.unread > 0 && (
                <span class="badge">
                  {c.unread >= UNREAD_CAP ? `${UNREAD_CAP}+` : c.unread}
                  <span class="sr-only">unread</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function presenceText(friend: FriendView, now: number | null): string {
  if (friend.online) return "online";
  if (friend.lastSeenAt && now) return `last seen ${ago(friend.lastSeenAt, now)}`;
  return "offline";
}

function Friends(props: { store: ChatStore; snapshot: Snapshot }) {
  const { friends, incoming, outgoing, blocked } = props.snapshot;
  const mounted = useMounted();
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section class="panel-section" aria-labelledby="friends-heading">
      <h2 id="friends-heading">Friends</h2>
      {friends.length === 0 && (
        <p class="muted">No friends yet: add someone by their username below.</p>
      )}
      <ul class="friends" aria-label="Friends">
        {friends.map((friend) => (
          <FriendItem
            key={friend.id}
            store={props.store}
            friend={friend}
            presence={presenceText(friend, mounted ? now : null)}
          />
        ))}
      </ul>
      {(incoming.length > 0 || outgoing.length > 0) && (
        <>
          <h3>Requests</h3>
          <ul class="requests" aria-label="Friend requests">
            {incoming.map((user) => <Request key={`in${user.id}`} user={user} incoming />)}
            {outgoing.map((user) => <Request key={`out${user.id}`} user={user} incoming={false} />)}
          </ul>
        </>
      )}
      <AddFriend />
      {blocked.length > 0 && (
        <>
          <h3>Blocked</h3>
          <ul class="blocked" aria-label="Blocked users">
            {blocked.map((user) => (
              <li key={user.id}>
                <span>{user.username}</span>
                <ActionButton
                  label="Unblock"
                  title={`Unblock ${user.username}`}
                  run={() => api("DELETE", `/api/blocks/${encodeURIComponent(user.username)}`)}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function FriendItem(props: { store: ChatStore; friend: FriendView; presence: string }) {
  const { friend } = props;
  const [menu, setMenu] = useState<"closed" | "open" | "remove" | "block">("closed");
  const [error, setError] = useState("");
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    setMenu("closed");
    toggle.current?.focus();
  };
  const menuId = `friend-menu-${friend.id}`;
  async function act(method: string, path: string, body?: unknown) {
    const response = await api(method, path, body);
    if (!response.ok) setError(await errorMessage(response));
    else setMenu("closed");
  }
  return (
    <li class="friend" onKeyDown={(e) => e.key === "Escape" && menu !== "closed" && close()}>
      <span
        class={`dot ${friend.online ? "online" : friend.lastSeenAt ? "away" : "offline"}`}
        aria-hidden="true"
      />
      <button
        type="button"
        class="friend-name"
        onClick={async () => setError(await props.store.openDirect(friend.username) ?? "")}
        aria-describedby={`presence-${friend.id}`}
      >
        {friend.username}
      </button>
      <span id={`presence-${friend.id}`} class="presence">{props.presence}</span>
      <button
        ref={toggle}
        type="button"
        class="menu-toggle"
        aria-label={`More actions for ${friend.username}`}
        aria-haspopup="true"
        aria-expanded={menu !== "closed"}
        aria-controls={menuId}
        onClick={() => setMenu(menu === "closed" ? "open" : "closed")}
      >
        ⋯
      </button>
      {menu !== "closed" && (
        <div id={menuId} class="menu" role="group" aria-label={`Actions for ${friend.username}`}>
          {menu === "open" && (
            <>
              <button
                type="button"
                autoFocus
                onClick={() => setMenu("remove")}
              >
                Remove friend
              </button>
              <button
                type="button"
                onClick={() =>
                  setMenu("block")}
              >
                Block
              </button>
            </>
          )}
          {menu !== "open" && (
            <>
              <p>
                {menu === "remove"
                  ? `Remove ${friend.username} from your friends?`
                  : `Block ${friend.username}? They will not be able to message you.`}
              </p>
              <button
                type="button"
                class="danger"
                autoFocus
                onClick={() =>
                  menu === "remove"
                    ? act("DELETE", `/api/friends/${encodeURIComponent(friend.username)}`)
                    : act("POST", "/api/blocks", { username: friend.username })}
              >
                {menu === "remove" ? "Remove" : "Block"}
              </button>
              <button type="button" onClick={close}>Cancel</button>
            </>
          )}
        </div>
      )}
      {error && <p class="field-error" role="alert">{error}</p>}
    </li>
  );
}

function Request(props: { user: UserView; incoming: boolean }) {
  const name = encodeURIComponent(props.user.username);
  return (
    <li class="request">
      {props.incoming
        ? (
          <>
            <span>
              <strong>{props.user.username}</strong> wants to be friends
            </span>
            <ActionButton
              label="Accept"
              title={`Accept ${props.user.username}`}
              run={() => api("POST", `/api/friends/requests/${name}/accept`)}
            />
            <ActionButton
              label="Decline"
              title={`Decline ${props.user.username}`}
              run={() => api("POST", `/api/friends/requests/${name}/decline`)}
            />
          </>
        )
        : (
          <>
            <span>
              Waiting for <strong>{props.user.username}</strong>
            </span>
            <ActionButton
              label="Cancel"
              title={`Cancel request to ${props.user.username}`}
              run={() => api("DELETE", `/api/friends/requests/${name}`)}
            />
          </>
        )}
    </li>
  );
}

/** A button for one API call; the socket then brings the new state to every tab. */
function ActionButton(props: { label: string; title: string; run: () => Promise<Response> }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      aria-label={props.title}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await props.run().catch(() => null);
        setBusy(false);
      }}
    >
      {props.label}
    </button>
  );
}

function AddFriend() {
  const [name, setName] = useState("");
  const [feedback, setFeedback] = useState<{ text: string; ok: boolean } | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const username = name.trim();
    if (!username) return;
    const response = await api("POST", "/api/friends/requests", { username });
    if (!response.ok) return setFeedback({ text: await errorMessage(response), ok: false });
    const { outcome } = await response.json();
    setFeedback({
      text: outcome === "accepted"
        ? `You and ${username} are now friends.`
        : `Request sent to ${username}.`,
      ok: true,
    });
    setName("");
  }
  return (
    <form class="add-friend" onSubmit={submit}>
      <label for="add-friend">Add friend</label>
      <input
        id="add-friend"
        value={name}
        placeholder="username"
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        onInput={(e) => setName(e.currentTarget.value)}
        aria-describedby="add-friend-feedback"
      />
      <p
        id="add-friend-feedback"
        role="status"
        class={feedback?.ok === false ? "field-error" : "muted"}
      >
        {feedback?.text ?? ""}
      </p>
    </form>
  );
}

export default island("FriendsPanel", FriendsPanel);
