// "Edit history": what an edited message said before, oldest first, and what it says now,
// each with when it was written. Anyone who can see the message can read it.
import { useEffect, useState } from "preact/hooks";
import * as api from "../../islands/chat/api.ts";
import type { EarlierText, MessageView } from "../../lib/wire.ts";
import { Dialog } from "../Dialog.tsx";
import { formatStamp } from "../LocalTime.tsx";
import { MessageText } from "../MessageText.tsx";

export function EditHistoryDialog(props: { message: MessageView; onClose: () => void }) {
  const { message } = props;
  const [earlier, setEarlier] = useState<EarlierText[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    void api.earlierTexts(message.id).then((found) => {
      if (found.ok) setEarlier(found.value);
      else setError(found.message);
    });
  }, [message.id]);
  const versions = earlier && [
    ...earlier.map((e) => ({ ...e, now: false })),
    { text: message.text, at: message.editedAt ?? message.at, now: true },
  ];
  return (
    <Dialog title="Edit history" onClose={props.onClose}>
      <p class="muted">{message.sender.username}'s message, oldest version first.</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {!versions && !error && <p class="muted">Loading…</p>}
      {versions && (
        <ol class="edit-history">
          {versions.map((v, i) => (
            <li key={i}>
              <p class="edit-when">
                {v.now ? "Now, since " : i === 0 ? "Sent " : "Edited "}
                <time dateTime={new Date(v.at).toISOString()}>{formatStamp(v.at, true)}</time>
              </p>
              <MessageText text={v.text} />
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
