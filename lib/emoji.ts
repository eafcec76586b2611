// What counts as one emoji, for reactions: a single grapheme that is a pictograph, a flag or
// a keycap. Shared by the server (which refuses anything else) and the page's picker.
const PICTURE = /^(\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u;
const segmenter = new Intl.Segmenter();

export function isOneEmoji(text: string): boolean {
  if (!text || text.length > 32 || !text.isWellFormed()) return false;
  const graphemes = [...segmenter.segment(text)];
  return graphemes.length === 1 && PICTURE.test(text);
}

/** The picker's first row: the reactions people reach for most. */
export const COMMON_EMOJI = ["👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀"] as const;
