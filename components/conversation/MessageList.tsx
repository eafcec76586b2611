// The messages of one conversation in order, with a "New messages" divider above the first
// one that was unread when the conversation was opened, a separator for each day, then our
// own not yet stored.
import type { PendingMessage } from "../../islands/chat/state.ts";
import type { MessageView, SeenView, UserView } from "../../lib/wire.ts";
import { dayLabel, sameDay, useMounted } from "../LocalTime.tsx";
import { groupedWith, MessageItem } from "./MessageItem.tsx";
import { PendingItem } from "./PendingItem.tsx";

export function MessageList(
  props: {
    messages: MessageView[];
    pending: PendingMessage[];
    meId: number;
    /** The reader's name, for their mentions in the text. */
    meName?: string;
    readBefore: number | null;
    /** In a direct conversation, how far the other member has read it (a read receipt). */
    seen?: SeenView;
    /** The message just opened at (a search result, a quote's original): it stands out. */
    foundId?: number | null;
    /** The reader runs the room (owner or admin): they may delete anyone's message. */
    moderates?: boolean;
    /** The message being edited, and what editing and deleting do. */
    editingId?: number | null;
    onHistory?: (message: MessageView) => void;
    onChange?: {
      startEdit: (id: number | null) => void;
      edit: (id: number, text: string) => void;
      remove: (id: number) => void;
      react: (id: number, emoji: string, on: boolean) => void;
      reply: (message: MessageView) => void;
      quote: (id: number) => void;
    };
    blockedIds?: ReadonlySet<number>;
    onName?: (user: UserView, from: HTMLElement) => void;
  },
) {
  const { messages, meId, readBefore } = props;
  const local = useMounted(); // days and times are the reader's, known only in the browser
  const now = Date.now();
  const firstUnread = readBefore === null
    ? undefined
    : messages.find((m) => m.id > readBefore && m.sender.id !== meId)?.id;
  // "Seen" goes under the reader's last message the other member has read.
  const seenId = props.seen &&
    messages.findLast((m) => m.sender.id === meId && !m.deleted && m.id <= props.seen!.lastReadId)
      ?.id;
  return (
    <ol class="messages">
      {messages.map((message, i) => [
        local && (i === 0 || !sameDay(messages[i - 1].at, message.at)) && (
          <li key={`day${message.id}`} class="day">
            <span>{dayLabel(message.at, now)}</span>
          </li>
        ),
        message.id === firstUnread && (
          <li key="unread" class="unread-divider">
            <span>New messages</span>
          </li>
        ),
        <MessageItem
          key={message.id}
          message={message}
          mine={message.sender.id === meId}
          grouped={message.id !== firstUnread && groupedWith(message, messages[i - 1])}
          local={local}
          me={props.meName}
          meId={meId}
          onQuote={props.onChange?.quote}
          blockedIds={props.blockedIds}
          {...changesFor(message, props)}
          onHistory={props.onHistory && (() => props.onHistory!(message))}
          onName={props.onName}
          seenAt={message.id === seenId ? props.seen!.at : undefined}
          found={message.id === props.foundId}
        />,
      ])}
      {props.pending.map((p) => <PendingItem key={p.clientId} pending={p} />)}
    </ol>
  );
}

/** The toolbar and editor props of one message, for what the reader may do to it. */
function changesFor(
  message: MessageView,
  props: Parameters<typeof MessageList>[0],
): Pick<Parameters<typeof MessageItem>[0], "actions" | "editing"> {
  const change = props.onChange;
  const mine = message.sender.id === props.meId;
  if (!change || message.deleted) return {};
  return {
    actions: {
      canEdit: mine,
      canDelete: mine || props.moderates === true,
      onEdit: () => change.startEdit(message.id),
      onDelete: () => change.remove(message.id),
      onReact: (emoji, on) => change.react(message.id, emoji, on),
      onReply: () => change.reply(message),
    },
    ...(props.editingId === message.id
      ? {
        editing: {
          onSave: (text: string) => change.edit(message.id, text),
          onCancel: () => change.startEdit(null),
        },
      }
      : {}),
  };
}
