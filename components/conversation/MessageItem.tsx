// One stored message; consecutive ones from the same sender share a header.
import type { MessageView } from "../../lib/wire.ts";
import { LocalTime } from "../LocalTime.tsx";
import { MessageText } from "../MessageText.tsx";

const GROUP_WITHIN_MS = 5 * 60_000; // consecutive messages from one sender within this share a header

export function MessageItem(props: { message: MessageView; mine: boolean; grouped: boolean }) {
  const { message } = props;
  return (
    <li
      class={`message ${props.mine ? "mine" : "theirs"}${props.grouped ? " grouped" : ""}`}
      data-id={message.id}
    >
      <div class="meta">
        <span class={props.grouped ? "sender sr-only" : "sender"}>
          {props.mine ? "You" : message.sender.username}
        </span>{" "}
        <LocalTime at={message.at} />
      </div>
      <MessageText text={message.text} />
    </li>
  );
}

export const groupedWith = (message: MessageView, previous: MessageView | undefined) =>
  previous?.sender.id === message.sender.id && message.at - previous.at < GROUP_WITHIN_MS;
