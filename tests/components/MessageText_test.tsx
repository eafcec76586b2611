import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { emojiOnly, MessageText, splitLinks } from "../../components/MessageText.tsx";

Deno.test("URLs become links without the punctuation that ends a sentence", () => {
  assert.deepEqual(splitLinks("see https://example.com/a?b=1. and http://x.org), ok"), [
    { text: "see " },
    { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { text: ". and " },
    { text: "http://x.org", href: "http://x.org" },
    { text: "), ok" },
  ]);
  assert.deepEqual(splitLinks("javascript:alert(1) is not a link"), [{
    text: "javascript:alert(1) is not a link",
  }]);
});

Deno.test("message text is rendered as text, never as HTML", () => {
  const html = renderToString(
    <MessageText text={`<img src=x onerror="alert(1)"> https://e.com/"><script>`} />,
  );
  assert.ok(!html.includes("<img"));
  assert.ok(!html.includes("<script"));
  assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;>/);
  assert.match(html, /<a href="https:\/\/e\.com\/" rel="noopener noreferrer" target="_blank">/);
});

Deno.test("one to three emoji and nothing else count as emoji-only; words or digits do not", () => {
  for (const text of ["🍕", "🍕🍕", " 👍🏽 🎉 🇫🇷 ", "👨‍👩‍👧"]) assert.equal(emojiOnly(text), true, text);
  for (const text of ["", "🍕🍕🍕🍕", "yes 🍕", "123", "#", ":)"]) {
    assert.equal(emojiOnly(text), false, text);
  }
});
