// The friends, each with presence ("online", "last seen 5 min ago"), refreshed every 30 s.
import { useEffect, useState } from "preact/hooks";
import type { ChatStore } from "../../islands/chat/store.ts";
import type { FriendView } from "../../lib/wire.ts";
import { ago, useMounted } from "../LocalTime.tsx";
import type { Report } from "./ActionButton.tsx";
import { FriendItem } from "./FriendItem.tsx";

const PRESENCE_REFRESH_MS = 30_000;

export function FriendList(props: { store: ChatStore; friends: FriendView[]; report: Report }) {
  const mounted = useMounted();
  // Cut off from the server, the last state seen may be stale: say so rather than show it.
  const known = !mounted || props.store.connection.value === "live";
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {props.friends.length === 0 && (
        <p class="muted">No friends yet: add someone by their username below.</p>
      )}
      <ul class="friends" aria-label="Friends">
        {props.friends.map((friend) => (
          <FriendItem
            key={friend.id}
            store={props.store}
            friend={friend}
            presence={known ? presenceText(friend, mounted ? now : null) : "presence unknown"}
            known={known}
            report={props.report}
          />
        ))}
      </ul>
    </>
  );
}

/** Without a clock (while rendering on the server) "last seen" cannot be told. */
export function presenceText(friend: FriendView, now: number | null): string {
  if (friend.online) return "online";
  if (friend.lastSeenAt && now) return `last seen ${ago(friend.lastSeenAt, now)}`;
  return "offline";
}
