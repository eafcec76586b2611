// A small card for a name in the log: who they are to you, and what you can do from here
// (add them, message them, block them), so befriending someone means no retyping.
import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { Snapshot, UserView } from "../../lib/wire.ts";

type Standing = "friend" | "asked" | "asks" | "blocked" | "none";

function standing(snapshot: Snapshot, user: UserView): Standing {
  const has = (list: UserView[]) => list.some((u) => u.id === user.id);
  if (has(snapshot.friends)) return "friend";
  if (has(snapshot.outgoing)) return "asked";
  if (has(snapshot.incoming)) return "asks";
  if (has(snapshot.blocked)) return "blocked";
  return "none";
}

const SAYS: Record<Standing, string> = {
  friend: "Your friend",
  asked: "You asked to be friends",
  asks: "Wants to be your friend",
  blocked: "Blocked by you",
  none: "Not your friend",
};

export function ProfileCard(props: { store: ChatStore; user: UserView; snapshot: Snapshot }) {
  const { store, user } = props;
  const [failure, setFailure] = useState("");
  const card = useRef<HTMLDivElement>(null);
  const now = standing(props.snapshot, user);
  useEffect(() => card.current?.querySelector<HTMLElement>("button")?.focus(), [user.id]);
  async function run(action: Promise<api.Result<unknown>>, close = false) {
    const result = await action;
    setFailure(result.ok ? "" : result.message);
    if (result.ok && close) store.closeProfile();
  }
  return (
    <div
      ref={card}
      class="profile-card"
      role="dialog"
      aria-label={`${user.username}'s profile`}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.stopPropagation(); // Escape here closes the card, and does not mark anything read
        store.closeProfile();
      }}
    >
      <p class="profile-name">{user.username}</p>
      <p class="muted">{SAYS[now]}</p>
      <div class="profile-actions">
        {now === "none" && (
          <button
            type="button"
            onClick={() => run(api.sendFriendRequest(user.username))}
          >
            Add friend
          </button>
        )}
        {now === "asks" && (
          <button
            type="button"
            onClick={() => run(api.acceptFriendRequest(user.username))}
          >
            Accept
          </button>
        )}
        {now === "friend" && (
          <button
            type="button"
            onClick={() => run(store.openDirect(user), true)}
          >
            Message
          </button>
        )}
        {now !== "blocked" && (
          <button
            type="button"
            class="danger"
            onClick={() => run(api.blockUser(user.username))}
          >
            Block
          </button>
        )}
        <button type="button" onClick={store.closeProfile}>Close</button>
      </div>
      <p class="field-error" role="alert">{failure}</p>
    </div>
  );
}
