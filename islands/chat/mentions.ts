// Who the composer offers after an `@`, as plain data: a room's members (and `@room` for its
// owners and admins), the friend in a direct conversation, in the Lobby friends and whoever
// spoke in what is loaded. Never yourself.
import { ROOM_MENTION } from "../../lib/mention_syntax.ts";
import type { ConversationView, MessageView, UserView } from "../../lib/wire.ts";
import { canManage } from "./rooms.ts";

/** One offer: a name to insert, and what the list says of it. */
export type MentionOption = { name: string; note?: string };

/** At most this many offers at once; typing more narrows them. */
export const MENTION_OPTIONS = 8;

export function mentionOptions(input: {
  query: string;
  conversation: ConversationView | undefined;
  me: UserView;
  /** The room's members, when it is a room and they are loaded. */
  members: UserView[] | null;
  friends: UserView[];
  messages: MessageView[];
}): MentionOption[] {
  const { query, conversation, me } = input;
  let people: UserView[];
  if (conversation?.kind === "room") people = input.members ?? [];
  else if (conversation?.kind === "direct") people = conversation.with ? [conversation.with] : [];
  else people = [...input.friends, ...input.messages.map((m) => m.sender).reverse()];
  const names = [...new Set(people.map((p) => p.username))]
    .filter((name) => name !== me.username && name.startsWith(query))
    .sort();
  const options: MentionOption[] = names.map((name) => ({ name }));
  if (
    conversation?.kind === "room" && canManage(conversation.room?.role) &&
    ROOM_MENTION.startsWith(query)
  ) {
    options.unshift({ name: ROOM_MENTION, note: "everyone in the room" });
  }
  return options.slice(0, MENTION_OPTIONS);
}

/** The text with the partial mention at `start`..`caret` replaced by the chosen name. */
export function insertMention(text: string, start: number, caret: number, name: string) {
  const after = text.slice(caret);
  const spaced = after.startsWith(" ") ? "" : " ";
  const inserted = `@${name}${spaced}`;
  return {
    text: text.slice(0, start) + inserted + after,
    caret: start + inserted.length + (spaced ? 0 : 1),
  };
}
