// One stored message; consecutive ones from the same sender within minutes share a header.
// Its toolbar shows on hover and focus; at phone width, where neither is at hand, its "⋯"
// button opens it, and so does a long-press (the context menu, which is also Shift+F10).
import { useState } from "preact/hooks";
import type { MessageView, UserView } from "../../lib/wire.ts";
import { formatStamp, LocalTime, sameDay } from "../LocalTime.tsx";
import { MessageText } from "../MessageText.tsx";
import { MessageActions, MessageEditor, Reactions } from "./MessageActions.tsx";

const GROUP_WITHIN_MS = 5 * 60_000; // consecutive messages from one sender within this share a header

export function MessageItem(
  props: {
    message: MessageView;
    mine: boolean;
    grouped: boolean;
    local: boolean;
    /** The reader's name: mentions of it stand out in the text. */
    me?: string;
    /** What the reader may do to it: edit it (their own), delete it (theirs, or as a room's admin). */
    actions?: {
      canEdit: boolean;
      canDelete: boolean;
      onEdit: () => void;
      onDelete: () => void;
      onReact: (emoji: string, on: boolean) => void;
      onReply: () => void;
    };
    /** Shows the message a reply quotes (loading older history until it is there). */
    onQuote?: (id: number) => void;
    /** Whose messages the reader hides: a quote of theirs is not shown either. */
    blockedIds?: ReadonlySet<number>;
    /** The reader's id: their own reactions show pressed. */
    meId: number;
    /** Opens its edit history (it was edited). */
    onHistory?: () => void;
    /** It is being edited in place. */
    editing?: { onSave: (text: string) => void; onCancel: () => void };
    /** Opens the sender's profile card; a name is a plain label without it. */
    onName?: (user: UserView, from: HTMLElement) => void;
    /** When the other member of a direct conversation read it (the last of yours they read). */
    seenAt?: number;
    /** It was just opened at (a search result, a quote's original). */
    found?: boolean;
  },
) {
  const { message, grouped } = props;
  // In a group only the first shows who and when; the others say it to screen readers, and
  // show the full time on hover. Focused (see messageFocus.ts), each shows its full date and
  // gives it as its description; unfocused, the date is hidden, so a live announcement of a
  // new message does not read it out.
  const stamp = props.local ? formatStamp(message.at, true) : undefined;
  const stampId = `stamp-${message.id}`;
  const [menu, setMenu] = useState(false); // the toolbar opened by "⋯" or the context menu
  const changeable = props.actions && !message.deleted && !props.editing;
  const openMenu = (item: HTMLElement) => {
    setMenu(true);
    requestAnimationFrame(() =>
      item.querySelector<HTMLElement>(".message-actions button")?.focus()
    );
  };
  const closing = <A extends unknown[]>(act: (...args: A) => void) => (...args: A) => {
    setMenu(false);
    act(...args);
  };
  return (
    <li
      class={`message ${props.mine ? "mine" : "theirs"}${grouped ? " grouped" : ""}${
        message.mentioned && !message.deleted ? " mentioned" : ""
      }${props.found ? " found" : ""}`}
      data-id={message.id}
      title={grouped ? stamp : undefined}
      tabIndex={-1}
      aria-describedby={stamp ? stampId : undefined}
      onKeyDown={(e) => { // from the message itself into its toolbar
        if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== "ArrowRight")) return;
        const first = e.currentTarget.querySelector<HTMLElement>(".message-actions button");
        if (!first) return;
        e.preventDefault();
        first.focus();
      }}
      onContextMenu={(e) => {
        const target = e.target as HTMLElement;
        // A link's, a field's or a selection's own menu stays the browser's.
        if (!changeable || target.closest("a, input, textarea")) return;
        if (getSelection()?.toString()) return;
        e.preventDefault();
        openMenu(e.currentTarget);
      }}
      onFocusOut={(e) => {
        if (menu && !e.currentTarget.contains(e.relatedTarget as Node | null)) setMenu(false);
      }}
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
        {message.mentioned && !message.deleted && <span class="mention-tag">mentions you</span>}
      </div>
      {message.replyTo && !message.deleted && (
        <button
          type="button"
          class="quote"
          aria-label={`Replying to ${message.replyTo.sender.username}: show their message`}
          onClick={() => props.onQuote?.(message.replyTo!.id)}
        >
          <span class="quote-sender">{message.replyTo.sender.username}</span>{" "}
          <span class="quote-text">
            {message.replyTo.deleted
              ? "deleted message"
              : props.blockedIds?.has(message.replyTo.sender.id)
              ? "a message from someone you blocked"
              : message.replyTo.snippet}
          </span>
        </button>
      )}
      {message.deleted
        ? <p class="text deleted">message deleted</p>
        : props.editing
        ? <MessageEditor text={message.text} {...props.editing} />
        : (
          <MessageText text={message.text} me={props.me} mentioned={message.mentioned}>
            {message.editedAt !== undefined && (
              <button
                type="button"
                class="edited"
                aria-haspopup="dialog"
                title={props.local ? `edited ${formatStamp(message.editedAt, true)}` : undefined}
                onClick={props.onHistory}
              >
                (edited)
              </button>
            )}
          </MessageText>
        )}
      {message.reactions && !message.deleted && (
        <Reactions
          reactions={message.reactions}
          meId={props.meId}
          onReact={props.actions?.onReact}
        />
      )}
      {props.seenAt !== undefined && (
        <p class="seen">
          Seen <LocalTime at={props.seenAt} clock={sameDay(props.seenAt, Date.now())} />
        </p>
      )}
      {changeable && (
        <button
          type="button"
          class="actions-toggle"
          tabIndex={-1}
          aria-label="Actions"
          aria-expanded={menu}
          // Not focused on the way: a focused message shows its toolbar, over this button,
          // before the click lands.
          onMouseDown={(e) => e.preventDefault()}
          onClick={(e) => {
            const item = e.currentTarget.closest<HTMLElement>(".message")!;
            if (menu) return setMenu(false);
            openMenu(item);
          }}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      )}
      {changeable && (
        <MessageActions
          {...props.actions!}
          onEdit={closing(props.actions!.onEdit)}
          onDelete={closing(props.actions!.onDelete)}
          onReply={closing(props.actions!.onReply)}
          onReact={closing(props.actions!.onReact)}
          open={menu}
          onClose={() => setMenu(false)}
          mine={message.reactions?.filter((r) => r.users.some((u) => u.id === props.meId))
            .map((r) => r.emoji) ?? []}
          what={props.mine ? "your message" : `${message.sender.username}'s message`}
        />
      )}
    </li>
  );
}

export const groupedWith = (message: MessageView, previous: MessageView | undefined) =>
  previous?.sender.id === message.sender.id && message.at - previous.at < GROUP_WITHIN_MS &&
  sameDay(message.at, previous.at);
