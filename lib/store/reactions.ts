// What both backends share about reactions: grouping the rows they read into each message's
// list.
import type { MessageRow, User } from "./types.ts";

/**
 * Gives each row its reactions, from (message, emoji, user) rows in the order they were made:
 * each emoji with its users, the emoji in the order each was first used.
 */
export function attachReactions(
  rows: MessageRow[],
  found: { message_id: number; emoji: string; id: number; username: string }[],
): MessageRow[] {
  const byMessage = new Map<number, Map<string, User[]>>();
  for (const r of found) {
    let emoji = byMessage.get(r.message_id);
    if (!emoji) byMessage.set(r.message_id, emoji = new Map());
    let users = emoji.get(r.emoji);
    if (!users) emoji.set(r.emoji, users = []);
    users.push({ id: r.id, username: r.username });
  }
  return rows.map((row) => {
    const emoji = byMessage.get(row.id);
    if (!emoji) return row;
    return { ...row, reactions: [...emoji].map(([e, users]) => ({ emoji: e, users })) };
  });
}
