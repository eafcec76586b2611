// "Add friend": send a request by username; the outcome or the failure shows below it, for
// as long as it is true: once that person's place changes (they accept, say), it goes.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { Snapshot } from "../../lib/wire.ts";

/** A message about one person, true while they stand in one of `holds` with us. */
type Feedback = { text: string; ok: boolean; about: string; holds: string[] };

/** Where a username stands with us, in the snapshot's words. */
function relation(snapshot: Snapshot, username: string): string {
  const named = (list: { username: string }[]) => list.some((u) => u.username === username);
  if (named(snapshot.friends)) return "friend";
  if (named(snapshot.outgoing)) return "outgoing";
  if (named(snapshot.incoming)) return "incoming";
  if (named(snapshot.blocked)) return "blocked";
  return "none";
}

export function AddFriendForm(props: { snapshot: Snapshot }) {
  const [name, setName] = useState("");
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const current = feedback?.holds.includes(relation(props.snapshot, feedback.about))
    ? feedback
    : null;
  async function submit(event: Event) {
    event.preventDefault();
    const username = name.trim().toLowerCase();
    if (!username) return;
    const result = await api.sendFriendRequest(username);
    const text = !result.ok
      ? result.message
      : result.value === "accepted"
      ? `You and ${username} are now friends.`
      : `Request sent to ${username}.`;
    // The socket may not have told us the new state yet: the message holds before it too.
    const now = relation(props.snapshot, username);
    const holds = !result.ok
      ? [now]
      : result.value === "accepted"
      ? [now, "friend"]
      : [now, "outgoing"];
    setFeedback({ text, ok: result.ok, about: username, holds });
    if (result.ok) setName("");
  }
  return (
    <form class="add-friend" onSubmit={submit}>
      <label for="add-friend">Add friend</label>
      <div class="add-friend-row">
        <input
          id="add-friend"
          value={name}
          placeholder="username"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-describedby="add-friend-feedback"
        />
        <button type="submit">Send request</button>
      </div>
      <p
        id="add-friend-feedback"
        role="status"
        class={current?.ok === false ? "field-error" : "muted"}
      >
        {current?.text ?? ""}
      </p>
    </form>
  );
}
