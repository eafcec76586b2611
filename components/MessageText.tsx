// A message's text exactly as typed: line breaks kept (CSS pre-wrap), URLs as links, mentions
// set apart, and nothing ever read as HTML — Preact writes every piece as a text node.
import type { ComponentChildren } from "preact";
import { mentionTokens, ROOM_MENTION } from "../lib/mention_syntax.ts";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

export function splitLinks(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, "");
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

const PICTURE = /^(\p{Extended_Pictographic}|\p{Regional_Indicator})/u;

/** One to three emoji and nothing else (spaces aside): shown larger, as chat apps do. */
export function emojiOnly(text: string): boolean {
  const graphemes = [...new Intl.Segmenter().segment(text.replace(/\s+/g, ""))];
  return graphemes.length >= 1 && graphemes.length <= 3 &&
    graphemes.every((g) => PICTURE.test(g.segment));
}

/** A piece of plain text, its mentions cut out as their own parts. */
export function splitMentions(text: string): { text: string; mention?: string }[] {
  const parts: { text: string; mention?: string }[] = [];
  let last = 0;
  for (const token of mentionTokens(text)) {
    // "@bob." ends a sentence: the dot is not part of the mention shown.
    const name = token.alternative && token.alternative.length >= 3
      ? token.alternative
      : token.name;
    const end = token.start + 1 + name.length;
    if (token.start > last) parts.push({ text: text.slice(last, token.start) });
    parts.push({ text: text.slice(token.start, end), mention: name });
    last = end;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * `me` and `mentioned`: the reader's name, and whether the message mentions them; only then does
 * their name (or `@room`) stand out as theirs.
 */
export function MessageText(
  props: { text: string; me?: string; mentioned?: boolean; children?: ComponentChildren },
) {
  const mine = (name: string) =>
    props.mentioned === true && (name === ROOM_MENTION || name === props.me);
  return (
    <p class={emojiOnly(props.text) ? "text emoji-only" : "text"}>
      {splitLinks(props.text).map((part, i) =>
        part.href
          ? <a key={i} href={part.href} rel="noopener noreferrer" target="_blank">{part.text}</a>
          : splitMentions(part.text).map((piece, j) =>
            piece.mention
              ? (
                <span key={`${i}.${j}`} class={mine(piece.mention) ? "mention me" : "mention"}>
                  {piece.text}
                </span>
              )
              : piece.text
          )
      )}
      {props.children && <>{" "}{props.children}</>}
    </p>
  );
}
