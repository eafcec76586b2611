// A message of ours the server has not stored yet: "sending…", or failed with a retry.
import type { PendingMessage } from "../../islands/chat/state.ts";
import type { ChatStore } from "../../islands/chat/store.ts";
import { MessageText } from "../MessageText.tsx";

export function PendingItem(props: { store: ChatStore; pending: PendingMessage }) {
  const { pending } = props;
  return (
    <li class={`message mine pending ${pending.status}`}>
      <div class="meta">
        <span class="sender">You</span>{" "}
        <span class="status">{pending.status === "sending" ? "sending…" : "failed"}</span>
      </div>
      <MessageText text={pending.text.trim()} />
      {pending.status === "failed" && (
        <p class="failure">
          <span>{pending.error}</span>{" "}
          <button type="button" onClick={() => props.store.retry(pending.clientId)}>
            Failed — retry
          </button>
        </p>
      )}
    </li>
  );
}
