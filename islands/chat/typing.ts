// Who is typing where: each indicator shows until TYPING_SHOWN_MS after its last repeat.
import { TYPING_SHOWN_MS } from "../../lib/wire.ts";

/** Who is typing where, and until when (ms since the epoch). */
export type Typing = Map<number, Map<string, number>>;

export function startTyping(typing: Typing, conversationId: number, username: string, now: number) {
  const here = new Map(typing.get(conversationId)).set(username, now + TYPING_SHOWN_MS);
  return new Map(typing).set(conversationId, here);
}

export function stopTyping(typing: Typing, conversationId: number, username: string): Typing {
  if (!typing.get(conversationId)?.has(username)) return typing;
  const here = new Map(typing.get(conversationId));
  here.delete(username);
  return new Map(typing).set(conversationId, here);
}

/** Drops every indicator whose time is up; a repeat since has pushed its time further. */
export function expireTyping(typing: Typing, now: number): Typing {
  const expired = [...typing].flatMap(([conversationId, here]) =>
    [...here].filter(([, until]) => until <= now).map(([username]) => [conversationId, username])
  ) as [number, string][];
  return expired.reduce((map, [id, username]) => stopTyping(map, id, username), typing);
}

export const typingNames = (typing: Typing, conversationId: number): string[] => [
  ...(typing.get(conversationId)?.keys() ?? []),
];
