// One stored message; consecutive ones from the same sender within minutes share a header.
import type { MessageView, UserView } from "../../lib/wire.ts";
import { formatStamp, LocalTime, sameDay } from "../LocalTime.tsx";
import { MessageText } from "../MessageText.tsx";

const GROUP_WITHIN_MS = 5 * 60_000; // consecutive messages from one sender within this share a header

export function MessageItem(
  props: {
    message: MessageView;
    mine: boolean;
    grouped: boolean;
    local: boolean;
    /** The reader's name: mentions of it stand out in the text. */
    me?: string;
    /** Opens the sender's profile card; a name is a plain label without it. */
    onName?: (user: UserView, from: HTMLElement) => void;
  },
) {
  const { message, grouped } = props;
  // In a group only the first shows who and when; the others say it to screen readers, and
  // show the full time on hover. Focused (see messageFocus.ts), each shows its full date and
  // gives it as its description; unfocused, the date is hidden, so a live announcement of a
  // new message does not read it out.
  const stamp = props.local ? formatStamp(message.at, true) : undefined;
  const stampId = `stamp-${message.id}`;
  return (
    <li
      class={`message ${props.mine ? "mine" : "theirs"}${grouped ? " grouped" : ""}${
        message.mentioned ? " mentioned" : ""
      }`}
      data-id={message.id}
      title={grouped ? stamp : undefined}
      tabIndex={-1}
      aria-describedby={stamp ? stampId : undefined}
    >
      <div class={grouped ? "meta sr-only" : "meta"}>
        {props.mine || grouped || !props.onName
          ? <span class="sender">{props.mine ? "You" : message.sender.username}</span>
          : (
            <button
              type="button"
              class="sender"
              aria-haspopup="dialog"
              aria-label={`${message.sender.username}, show profile`}
              onClick={(e) => props.onName!(message.sender, e.currentTarget)}
            >
              {message.sender.username}
            </button>
          )} <LocalTime at={message.at} clock />
        {stamp && <span class="stamp" id={stampId} aria-hidden="true">{stamp}</span>}
        {message.mentioned && <span class="mention-tag">mentions you</span>}
      </div>
      <MessageText text={message.text} me={props.me} />
    </li>
  );
}

export const groupedWith = (message: MessageView, previous: MessageView | undefined) =>
  previous?.sender.id === message.sender.id && message.at - previous.at < GROUP_WITHIN_MS &&
  sameDay(message.at, previous.at);
