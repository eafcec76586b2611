// The people this user blocked, each with Unblock: it first says what unblocking does, since
// the block ended the friendship and unblocking does not bring it back.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { UserView } from "../../lib/wire.ts";
import { ActionButton, type Report } from "./ActionButton.tsx";

export function BlockedList(props: { blocked: UserView[]; report: Report }) {
  const [asking, setAsking] = useState<number | null>(null);
  if (props.blocked.length === 0) return null;
  return (
    <>
      <h3>Blocked</h3>
      <ul class="blocked" aria-label="Blocked users">
        {props.blocked.map((user) => (
          <li key={user.id}>
            <span>{user.username}</span>
            {asking === user.id
              ? (
                <div class="menu" role="group" aria-label={`Unblock ${user.username}?`}>
                  <p>
                    Unblock{" "}
                    {user.username}? Their messages show again and they may ask to be friends.
                    Blocking ended your friendship; unblocking does not bring it back: to be friends
                    again, one of you sends a request.
                  </p>
                  <ActionButton
                    label="Unblock"
                    title={`Yes, unblock ${user.username}`}
                    run={() => api.unblockUser(user.username)}
                    report={props.report}
                  />
                  <button type="button" onClick={() => setAsking(null)}>Cancel</button>
                </div>
              )
              : (
                <button
                  type="button"
                  aria-label={`Unblock ${user.username}`}
                  onClick={() => setAsking(user.id)}
                >
                  Unblock
                </button>
              )}
          </li>
        ))}
      </ul>
    </>
  );
}
