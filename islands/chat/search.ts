// The search dialog's state: the query asked, what it found (pages appended as the reader asks
// for more), and why it could not run. A newer query wins over an answer still on its way.
import { signal } from "@preact/signals";
import type { MessageView } from "../../lib/wire.ts";
import * as api from "./api.ts";

export type SearchResults = {
  query: string;
  messages: MessageView[];
  hasMore: boolean;
  error: string | null;
  searching: boolean;
};

const NOTHING: SearchResults = {
  query: "",
  messages: [],
  hasMore: false,
  error: null,
  searching: false,
};

export function createSearch() {
  const results = signal<SearchResults>(NOTHING);
  let asked = 0; // the latest request: an older answer arriving after it is dropped

  async function ask(query: string, before?: number) {
    const mine = ++asked;
    results.value = { ...results.value, query, searching: true, error: null };
    const found = await api.searchMessages(query, before);
    if (mine !== asked) return;
    const earlier = before ? results.value.messages : [];
    results.value = found.ok
      ? {
        query,
        messages: [...earlier, ...found.value.messages],
        hasMore: found.value.hasMore,
        error: null,
        searching: false,
      }
      : { query, messages: earlier, hasMore: false, error: found.message, searching: false };
  }

  return {
    results,
    /** Runs a query (trimmed; an empty one clears the results). */
    search(query: string) {
      const q = query.trim();
      if (!q) {
        asked++;
        results.value = NOTHING;
        return Promise.resolve();
      }
      return ask(q);
    },
    /** The next page of the current query's results. */
    more() {
      const { query, messages, hasMore, searching } = results.value;
      if (!hasMore || searching || !messages.length) return Promise.resolve();
      return ask(query, messages.at(-1)!.id);
    },
  };
}
