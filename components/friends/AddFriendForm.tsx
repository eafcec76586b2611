// "Add friend": send a request by username; the outcome or the failure shows below it.
import { useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";

export function AddFriendForm() {
  const [name, setName] = useState("");
  const [feedback, setFeedback] = useState<{ text: string; ok: boolean } | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const username = name.trim();
    if (!username) return;
    const result = await api.sendFriendRequest(username);
    if (!result.ok) return setFeedback({ text: result.message, ok: false });
    setFeedback({
      text: result.value === "accepted"
        ? `You and ${username} are now friends.`
        : `Request sent to ${username}.`,
      ok: true,
    });
    setName("");
  }
  return (
    <form class="add-friend" onSubmit={submit}>
      <label for="add-friend">Add friend</label>
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
      <p
        id="add-friend-feedback"
        role="status"
        class={feedback?.ok === false ? "field-error" : "muted"}
      >
        {feedback?.text ?? ""}
      </p>
    </form>
  );
}
