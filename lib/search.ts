// Search: a query as typed, read (lib/search_text.ts), its filters resolved for the user who
// asks (from: a user, in: one of their conversations, dates at their midnight), then the
// store's search over what they may see, newest first, a page at a time.
import { AppError } from "./errors.ts";
import type { Limiter } from "./limits.ts";
import { toMessageView } from "./messages.ts";
import { parseQuery, type SearchQuery } from "./search_text.ts";
import type { SearchFilter, Store, User } from "./store/types.ts";
import { normalizeUsername } from "./usernames.ts";
import { LOBBY_ID, type MessageView } from "./wire.ts";

export const SEARCH_PAGE = 20;
const DAY_MS = 86_400_000;

export type SearchInput = {
  q: string;
  /** A later page: results older than this message id. */
  before?: number;
  /** The searcher's offset from UTC as Date#getTimezoneOffset gives it (minutes). */
  tz?: number;
  limit?: number;
};

export type SearchPage = { messages: MessageView[]; hasMore: boolean };

export function createSearch(deps: { store: Store; searches: Limiter }) {
  const { store, searches } = deps;

  /** The filters of a query, for this user: names to ids, dates to times. */
  async function filterFor(user: User, query: SearchQuery, tz: number): Promise<SearchFilter> {
    const filter: SearchFilter = { phrases: query.phrases };
    if (query.from) {
      const sender = await store.users.findByName(normalizeUsername(query.from));
      if (!sender) throw new AppError(400, "no_such_user", `Nobody is called ${query.from}.`);
      filter.senderId = sender.id;
    }
    if (query.in) filter.conversationId = await conversationNamed(user, query.in);
    // A date is the searcher's day: its midnight where they are.
    const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) + tz * 60_000;
    if (query.before) filter.until = midnight(query.before);
    if (query.after) filter.since = midnight(query.after) + DAY_MS;
    return filter;
  }

  async function conversationNamed(
    user: User,
    named: NonNullable<SearchQuery["in"]>,
  ): Promise<number> {
    const rows = await store.conversations.listFor(user.id);
    if ("room" in named) {
      const name = named.room.toLowerCase();
      const room = rows.find((row) => row.room?.name.toLowerCase() === name);
      if (room) return room.id;
      if (name === "lobby") return LOBBY_ID;
      throw new AppError(400, "not_found", `You are in no room called #${named.room}.`);
    }
    const friend = normalizeUsername(named.friend);
    const direct = rows.find((row) => row.kind === "direct" && row.with?.username === friend);
    if (direct) return direct.id;
    throw new AppError(400, "not_found", `You have no direct messages with @${named.friend}.`);
  }

  return {
    /** A page of what the user's query finds, newest first; refused with why in words. */
    async search(user: User, input: SearchInput): Promise<SearchPage> {
      const wait = await searches.take(String(user.id));
      if (wait) {
        throw new AppError(
          429,
          "rate_limited",
          `Too many searches: try again in ${wait} s.`,
          undefined,
          {
            "Retry-After": String(wait),
          },
        );
      }
      const query = parseQuery(input.q);
      if ("problem" in query) throw new AppError(400, "bad_query", query.problem);
      const filter = await filterFor(user, query, input.tz ?? 0);
      if (input.before !== undefined) filter.beforeId = input.before;
      const limit = input.limit ?? SEARCH_PAGE;
      const rows = await store.search.search(user.id, filter, limit + 1);
      return { messages: rows.slice(0, limit).map(toMessageView), hasMore: rows.length > limit };
    },
  };
}
