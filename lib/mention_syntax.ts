// How a mention is written: `@username`, or `@room` for everyone in a room. Pure and zod-free:
// the server resolves what it finds here (lib/mentions.ts), the page draws the same tokens
// (components/MessageText.tsx) and completes them in the composer.

/** `@room`: everyone in the room (its owners and admins may use it). */
export const ROOM_MENTION = "room";
/** Distinct names one message may mention; more are left as plain text. */
export const MAX_MENTIONS = 20;

// An `@` that does not follow a name character, nor a part of an address (so neither
// "me@example.org" nor "https://example.social/@bob" mentions anyone), then a username's
// characters. Usernames may end in "." or "-", which also end sentences.
const TOKEN = /(?<![\p{L}\p{N}_.@\/:=?&#+-])@([A-Za-z0-9_.-]{1,32})/gu;
const TRAILING = /[.-]+$/;

export type MentionToken = {
  /** Where the `@` stands, and where the token ends (exclusive), in the text. */
  start: number;
  end: number;
  /** The name as written, lower-cased; `alternative` without the trailing dots or dashes. */
  name: string;
  alternative?: string;
};

/** Every mention-shaped token, in order. */
export function mentionTokens(text: string): MentionToken[] {
  const tokens: MentionToken[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const name = match[1].toLowerCase();
    const trimmed = name.replace(TRAILING, "");
    tokens.push({
      start: match.index!,
      end: match.index! + match[0].length,
      name,
      ...(trimmed !== name && trimmed ? { alternative: trimmed } : {}),
    });
  }
  return tokens;
}

/** What a text mentions: distinct names (at most MAX_MENTIONS) and whether it says `@room`. */
export function mentionsIn(text: string): { names: MentionToken[]; room: boolean } {
  const names = new Map<string, MentionToken>();
  let room = false;
  for (const token of mentionTokens(text)) {
    if ((token.alternative ?? token.name) === ROOM_MENTION) room = true;
    else if (names.size < MAX_MENTIONS && !names.has(token.name)) names.set(token.name, token);
  }
  return { names: [...names.values()], room };
}

/**
 * The partial mention the caret stands at the end of, for completion: `@al|` gives "al" and
 * where its `@` is; null when the caret is not in one.
 */
export function mentionAt(text: string, caret: number): { query: string; start: number } | null {
  const before = text.slice(0, caret);
  const match = /(?<![\p{L}\p{N}_.@\/:=?&#+-])@([A-Za-z0-9_.-]{0,32})$/u.exec(before);
  if (!match) return null;
  return { query: match[1].toLowerCase(), start: match.index };
}
