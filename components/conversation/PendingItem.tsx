// A message of ours the server has not stored yet: sending, waiting for the pace to allow it,
// or refused (with the server's reason; the bar under the log offers to retry or discard).
import type { PendingMessage } from "../../islands/chat/state.ts";
import { MessageText } from "../MessageText.tsx";

const STATUS = { sending: "sending…", waiting: "waiting to send…", failed: "not sent" };

export function PendingItem(props: { pending: PendingMessage }) {
  const { pending } = props;
  return (
    <li
      class={`message mine pending ${pending.status}`}
      data-client-id={pending.clientId}
      tabIndex={-1}
    >
      <div class="meta">
        <span class="sender">You</span> <span class="status">{STATUS[pending.status]}</span>
      </div>
      <MessageText text={pending.text.trim()} />
      {pending.error && <p class="failure">{pending.error}</p>}
    </li>
  );
}
