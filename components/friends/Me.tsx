// Who is signed in, the "Appear offline" and "Send read receipts" switches, and (on a phone, where the top bar gives
// way to the conversation's own) Log out.
import type { ChatStore } from "../../islands/chat/store.ts";
import type { Snapshot } from "../../lib/wire.ts";

export function Me(props: { store: ChatStore; me: Snapshot["me"] }) {
  return (
    <section class="me" aria-label="You">
      <p>
        Signed in as <strong>{props.me.username}</strong>
      </p>
      <label class="toggle">
        <input
          type="checkbox"
          checked={props.me.appearOffline}
          onChange={(e) => props.store.setAppearOffline(e.currentTarget.checked)}
        />{" "}
        Appear offline
      </label>
      <label
        class="toggle"
        title="Off: friends do not see when you have read their messages, nor you theirs"
      >
        <input
          type="checkbox"
          checked={props.me.sendReceipts}
          aria-describedby="receipts-hint"
          onChange={(e) => props.store.setSendReceipts(e.currentTarget.checked)}
        />{" "}
        Send read receipts
      </label>
      <p id="receipts-hint" class="hint sr-only">
        When off, you do not see your friends' read receipts either.
      </p>
      <form method="post" action="/logout" class="logout-in-panel">
        <button type="submit">Log out</button>
      </form>
    </section>
  );
}
