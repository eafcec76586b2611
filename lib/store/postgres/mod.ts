// The PostgreSQL store: a bounded pool, the schema brought up to date under a lock, and the
// parts built over it. Several instances share one database.
import type { Store } from "../types.ts";
import { pgBlocks } from "./blocks.ts";
import { pgConversations } from "./conversations.ts";
import { connect, migrate, type PgOptions } from "./db.ts";
import { pgFriends } from "./friends.ts";
import { pgMessages } from "./messages.ts";
import { pgReads } from "./reads.ts";
import { pgSearch } from "./search.ts";
import { pgRooms } from "./rooms.ts";
import { pgSessions } from "./sessions.ts";
import { pgUsers } from "./users.ts";

export async function openPostgresStore(url: string, options: PgOptions = {}): Promise<Store> {
  const sql = connect(url, options);
  try {
    await migrate(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  let closed = false;
  return {
    users: pgUsers(sql),
    sessions: pgSessions(sql),
    friends: pgFriends(sql),
    blocks: pgBlocks(sql),
    conversations: pgConversations(sql),
    rooms: pgRooms(sql),
    messages: pgMessages(sql),
    reads: pgReads(sql),
    search: pgSearch(sql),
    ping: async () => {
      try {
        return (await sql`SELECT 1 AS ok`)[0].ok === 1;
      } catch {
        return false;
      }
    },
    backupTo: () =>
      Promise.reject(new Error("On PostgreSQL, back up with pg_dump (see docs/scale.md).")),
    close: async () => {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
