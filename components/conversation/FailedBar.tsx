// One answer for every message the server refused in this conversation: retry them all, or
// discard them all — not a button per bubble.
import type { PendingMessage } from "../../islands/chat/state.ts";
import type { ChatStore } from "../../islands/chat/store.ts";

export function FailedBar(props: { store: ChatStore; pending: PendingMessage[] }) {
  const failed = props.pending.filter((p) => p.status === "failed");
  if (failed.length === 0) return null;
  const count = failed.length === 1 ? "1 message was" : `${failed.length} messages were`;
  return (
    <div class="failed-bar" role="alert">
      <p>
        {count} not sent: {failed.at(-1)!.error}
      </p>
      <button type="button" onClick={props.store.retryAll}>Retry all</button>
      <button type="button" onClick={props.store.discardFailed}>Discard</button>
    </div>
  );
}
