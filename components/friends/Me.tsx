// Who is signed in, and the "Appear offline" switch.
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
    </section>
  );
}
