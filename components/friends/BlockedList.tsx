// The people this user blocked, each with an Unblock button.
import * as api from "../../islands/chat/api.ts";
import type { UserView } from "../../lib/wire.ts";
import { ActionButton, type Report } from "./ActionButton.tsx";

export function BlockedList(props: { blocked: UserView[]; report: Report }) {
  if (props.blocked.length === 0) return null;
  return (
    <>
      <h3>Blocked</h3>
      <ul class="blocked" aria-label="Blocked users">
        {props.blocked.map((user) => (
          <li key={user.id}>
            <span>{user.username}</span>
            <ActionButton
              label="Unblock"
              title={`Unblock ${user.username}`}
              run={() => api.unblockUser(user.username)}
              report={props.report}
            />
          </li>
        ))}
      </ul>
    </>
  );
}
