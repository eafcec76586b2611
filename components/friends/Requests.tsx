// Friend requests: theirs to accept or decline, ours to cancel.
import * as api from "../../islands/chat/api.ts";
import type { UserView } from "../../lib/wire.ts";
import { ActionButton, type Report } from "./ActionButton.tsx";

export function Requests(props: { incoming: UserView[]; outgoing: UserView[]; report: Report }) {
  const { incoming, outgoing, report } = props;
  if (incoming.length === 0 && outgoing.length === 0) return null;
  return (
    <>
      <h3>Requests</h3>
      <ul class="requests" aria-label="Friend requests">
        {incoming.map((user) => <Incoming key={`in${user.id}`} user={user} report={report} />)}
        {outgoing.map((user) => <Outgoing key={`out${user.id}`} user={user} report={report} />)}
      </ul>
    </>
  );
}

function Incoming(props: { user: UserView; report: Report }) {
  const { username } = props.user;
  return (
    <li class="request">
      <span>
        <strong>{username}</strong> wants to be friends
      </span>
      <ActionButton
        label="Accept"
        title={`Accept ${username}`}
        run={() => api.acceptFriendRequest(username)}
        report={props.report}
      />
      <ActionButton
        label="Decline"
        title={`Decline ${username}`}
        run={() => api.declineFriendRequest(username)}
        report={props.report}
      />
    </li>
  );
}

function Outgoing(props: { user: UserView; report: Report }) {
  const { username } = props.user;
  return (
    <li class="request">
      <span>
        Waiting for <strong>{username}</strong>
      </span>
      <ActionButton
        label="Cancel"
        title={`Cancel request to ${username}`}
        run={() => api.cancelFriendRequest(username)}
        report={props.report}
      />
    </li>
  );
}
