// What search sees of a text, and what a search box's query asks for. Shared by the server
// (both stores index `searchText(body)`, so SQLite and PostgreSQL find the same messages) and
// the page (which highlights what matched, as text).
//
// A word is a run of letters, digits and combining marks. Normalised, it is decomposed (NFKD),
// stripped of its marks and lower-cased, so `Café` is `cafe`; what decomposition leaves that is
// neither letter nor digit splits it further. Scripts written without spaces stay one word per
// run, found by prefix.
//
// Both indexes hold what searchText gave when each message was written, and SQLite's takes a
// changed message's old words out by computing them again: a change to what it gives needs a
// migration that builds both indexes again (as `deno task reindex` does).

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** The search tokens of one word as typed or written. */
export function tokensOf(word: string): string[] {
  return word.normalize("NFKD").replace(MARKS, "").toLowerCase().split(NOT_WORD).filter(Boolean);
}

// deno-lint-ignore no-control-regex -- every ASCII character, control ones too
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

/** What a message's text is indexed as: its tokens, in order, separated by single spaces. */
export function searchText(text: string): string {
  // Most chat is ASCII: there, words are runs of letters and digits, as below, only faster.
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD)?.join(" ") ?? "";
  return searchTextOfAnyScript(text);
}

/** searchText without its shortcut for ASCII (tests check the two agree). */
export function searchTextOfAnyScript(text: string): string {
  const tokens: string[] = [];
  for (const [word] of text.matchAll(WORD)) tokens.push(...tokensOf(word));
  return tokens.join(" ");
}

/** Words to find: each a phrase of tokens, in order; `prefix`: the last may continue. */
export type Phrase = { tokens: string[]; prefix: boolean };

export type SearchQuery = {
  /** Every one must match (AND). */
  phrases: Phrase[];
  from?: string;
  /** `#name` a room (or the Lobby), `@name` a direct conversation. */
  in?: { room: string } | { friend: string };
  /** Dates as typed (YYYY-MM-DD): before one day, after one (from the next day on). */
  before?: string;
  after?: string;
};

export const MAX_QUERY_CHARS = 256;
const MAX_PHRASES = 8;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Scripts whose single letters would match too much to be worth a query by themselves. */
const SHORT_IS_SLOW = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]$/u;

/**
 * Reads a query: words (each a prefix: `deplo` finds "deployment"), "quoted phrases", and the
 * filters `from:name`, `in:#room`, `in:@friend`, `before:YYYY-MM-DD`, `after:YYYY-MM-DD`. The
 * result is the query, or what is wrong with it, in words for the person who typed it.
 */
export function parseQuery(input: string): SearchQuery | { problem: string } {
  if ([...input].length > MAX_QUERY_CHARS) {
    return { problem: `A search is at most ${MAX_QUERY_CHARS} characters.` };
  }
  const query: SearchQuery = { phrases: [] };
  const parts = input.match(/"[^"]*"?|[^\s"]+/g) ?? [];
  for (const part of parts) {
    if (part.startsWith('"')) {
      const tokens = tokensOf(part.replace(/"/g, " "));
      if (tokens.length) query.phrases.push({ tokens, prefix: false });
      continue;
    }
    const filter = /^(from|in|before|after):(.*)$/i.exec(part);
    if (filter) {
      const [, key, value] = filter;
      const name = key.toLowerCase() as "from" | "in" | "before" | "after";
      if (!value) return { problem: `Say what ${name}: comes with, as in ${example(name)}.` };
      if (name === "from") query.from = value.replace(/^@/, "");
      else if (name === "in") {
        if (value.startsWith("#") && value.length > 1) query.in = { room: value.slice(1) };
        else if (value.startsWith("@") && value.length > 1) query.in = { friend: value.slice(1) };
        else return { problem: `in: takes a #room or an @friend, as in ${example("in")}.` };
      } else {
        if (!DATE.test(value) || Number.isNaN(Date.parse(value))) {
          return { problem: `${name}: takes a date, as in ${example(name)}.` };
        }
        query[name] = value;
      }
      continue;
    }
    const tokens = tokensOf(part);
    if (!tokens.length) continue; // punctuation alone
    if (tokens.length === 1 && SHORT_IS_SLOW.test(tokens[0])) {
      return { problem: `"${part}" is too short: search for words of two letters or more.` };
    }
    query.phrases.push({ tokens, prefix: true });
  }
  if (query.phrases.length > MAX_PHRASES) {
    return { problem: `Search for at most ${MAX_PHRASES} words or phrases at once.` };
  }
  const filtered = query.from || query.in || query.before || query.after;
  if (!query.phrases.length && !filtered) return { problem: "Type a word to search for." };
  return query;
}

const EXAMPLES = {
  from: "from:sam",
  in: "in:#general or in:@sam",
  before: "before:2026-01-31",
  after: "after:2026-01-01",
};
const example = (name: keyof typeof EXAMPLES) => EXAMPLES[name];

/** A text cut into what matched the query's words and what did not, in order, as text. */
export type Highlighted = { text: string; hit: boolean }[];

/**
 * Marks the words of `text` that a query's words match: one equal to a token, or starting
 * with the last token of a prefix phrase. Joined again, the parts are exactly `text`.
 */
export function highlight(text: string, phrases: readonly Phrase[]): Highlighted {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const phrase of phrases) {
    phrase.tokens.forEach((token, i) =>
      phrase.prefix && i === phrase.tokens.length - 1 ? prefixes.push(token) : exact.add(token)
    );
  }
  const matches = (token: string) =>
    exact.has(token) || prefixes.some((prefix) => token.startsWith(prefix));
  const parts: Highlighted = [];
  let at = 0;
  for (const found of text.matchAll(WORD)) {
    if (!tokensOf(found[0]).some(matches)) continue;
    if (found.index > at) parts.push({ text: text.slice(at, found.index), hit: false });
    parts.push({ text: found[0], hit: true });
    at = found.index + found[0].length;
  }
  if (at < text.length || !parts.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
