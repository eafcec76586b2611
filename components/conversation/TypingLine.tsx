// Who is typing in the open conversation, in a polite live region.
import { typingNames } from "../../islands/chat/typing.ts";
import type { ChatStore } from "../../islands/chat/store.ts";

export function TypingLine(props: { store: ChatStore; conversationId: number }) {
  const names = typingNames(props.store.typing.value, props.conversationId);
  const text = names.length === 0
    ? ""
    : names.length === 1
    ? `${names[0]} is typing…`
    : names.length === 2
    ? `${names[0]} and ${names[1]} are typing…`
    : "Several people are typing…";
  return <p class="typing" aria-live="polite">{text}</p>;
}
