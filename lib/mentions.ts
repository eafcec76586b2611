// Mentions: who a message names, resolved once, when it is sent. `@username` mentions that
// user if they can see the message; `@room` mentions everyone in a room and is for its owners
// and admins. Nothing crosses a block, either way.
import type { BlockList } from "./blocks.ts";
import type { Audience } from "./conversations.ts";
import { AppError } from "./errors.ts";
import { mentionsIn, type MentionToken } from "./mention_syntax.ts";
import type { Store, User } from "./store/types.ts";

export type Mentioned = {
  /** The users the message mentions: never the sender, never across a block. */
  ids: number[];
};

const NONE: Mentioned = { ids: [] };

export function createMentions(deps: { store: Store; blocks: BlockList }) {
  const { store, blocks } = deps;
  const may = (sender: User, id: number) => id !== sender.id && !blocks.between(sender.id, id);

  /** The first spelling of a token that names someone in `known`. */
  const pick = <T>(token: MentionToken, known: (name: string) => T | undefined) =>
    known(token.name) ?? (token.alternative ? known(token.alternative) : undefined);

  return {
    /**
     * Who the text mentions, for a sender allowed to send it to this audience. `@room` where it
     * is not allowed is refused (not_allowed), so that nobody believes they alerted a room.
     */
    async resolve(sender: User, audience: Audience, text: string): Promise<Mentioned> {
      if (!text.includes("@")) return NONE;
      const { names, room } = mentionsIn(text);
      if (!names.length && !room) return NONE;
      if (audience.kind === "lobby") {
        if (room) {
          throw new AppError(403, "not_allowed", "@room is for rooms: the Lobby has none.");
        }
        const found = await Promise.all(names.map(async (token) => {
          const user = await store.users.findByName(token.name) ??
            (token.alternative ? await store.users.findByName(token.alternative) : null);
          return user?.id;
        }));
        return { ids: distinct(found).filter((id) => may(sender, id)) };
      }
      if (audience.kind === "direct") {
        const byName = new Map(audience.members.map((m) => [m.username, m.id]));
        const found = names.map((token) => pick(token, (name) => byName.get(name)));
        return { ids: distinct(found).filter((id) => may(sender, id)) };
      }
      const members = await store.rooms.members(audience.id);
      const ids = members.map((m) => m.id);
      if (room) {
        const role = members.find((m) => m.id === sender.id)?.role;
        if (role !== "owner" && role !== "admin") {
          throw new AppError(
            403,
            "not_allowed",
            "Only the room's owners and admins can mention @room.",
          );
        }
        return { ids: ids.filter((id) => may(sender, id)) };
      }
      const byName = new Map(members.map((m) => [m.username, m.id]));
      const found = names.map((token) => pick(token, (name) => byName.get(name)));
      return { ids: distinct(found).filter((id) => may(sender, id)) };
    },
  };
}

function distinct(ids: (number | undefined)[]): number[] {
  return [...new Set(ids.filter((id): id is number => id !== undefined))];
}

export type Mentions = ReturnType<typeof createMentions>;
