// What search makes of texts and queries: words with case and diacritics aside, the query
// syntax, and highlighting that cuts a text into parts without changing a character.
import assert from "node:assert/strict";
import fc from "fast-check";
import { highlight, parseQuery, searchText, searchTextOfAnyScript } from "../../lib/search_text.ts";

Deno.test("a text's words are lower-cased and stripped of diacritics; punctuation separates", () => {
  assert.equal(searchText("Café, DÉJÀ-vu! naïve_2x"), "cafe deja vu naive 2x");
  assert.equal(searchText("東京タワーに行こう。"), "東京タワーに行こう");
  assert.equal(searchText("ﬁne ①"), "fine 1");
  assert.equal(searchText("<b>bold</b> &amp;"), "b bold b amp");
  assert.equal(searchText("🎉 ..."), "");
});

Deno.test("a query reads words as prefixes, quoted phrases exactly, and the filters", () => {
  assert.deepEqual(parseQuery('deplo "Release Notes" from:@Sam in:#General after:2026-01-31'), {
    phrases: [
      { tokens: ["deplo"], prefix: true },
      { tokens: ["release", "notes"], prefix: false },
    ],
    from: "Sam",
    in: { room: "General" },
    after: "2026-01-31",
  });
  assert.deepEqual(parseQuery("e-mail in:@bob"), {
    phrases: [{ tokens: ["e", "mail"], prefix: true }],
    in: { friend: "bob" },
  });
  assert.deepEqual(parseQuery('"unclosed phrase'), {
    phrases: [{ tokens: ["unclosed", "phrase"], prefix: false }],
  });
  assert.deepEqual(parseQuery("猫"), { phrases: [{ tokens: ["猫"], prefix: true }] });
  assert.deepEqual(parseQuery("before:2026-02-01"), { phrases: [], before: "2026-02-01" });
  for (const bad of ["", "   ", "a", "!!", "in:general", "after:2026-13-45", "a b c d e f g h i"]) {
    assert.ok("problem" in parseQuery(bad), bad);
  }
});

const phrasesOf = (q: string) => {
  const query = parseQuery(q);
  return "phrases" in query ? query.phrases : [];
};

Deno.test("highlighting marks the words a query matches and keeps the text as it was", () => {
  assert.deepEqual(
    highlight("Deployed on the BIG day, <b>deploy</b>!", phrasesOf('deplo "big day"')),
    [
      { text: "Deployed", hit: true },
      { text: " on the ", hit: false },
      { text: "BIG", hit: true },
      { text: " ", hit: false },
      { text: "day", hit: true },
      { text: ", <b>", hit: false },
      { text: "deploy", hit: true },
      { text: "</b>!", hit: false },
    ],
  );
  assert.deepEqual(highlight("Café", phrasesOf("cafe")), [{ text: "Café", hit: true }]);
  assert.deepEqual(highlight("nothing here", phrasesOf("cafe")), [{
    text: "nothing here",
    hit: false,
  }]);
});

Deno.test("highlighting never adds, drops or reorders a character (property)", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.string({ maxLength: 20 }),
      (text, q) => {
        const parts = highlight(text, phrasesOf(q));
        assert.equal(parts.map((p) => p.text).join(""), text);
      },
    ),
  );
});

Deno.test("ASCII text is indexed as the general rule would index it (property)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary-ascii", maxLength: 120 }), (text) => {
      assert.equal(searchText(text), searchTextOfAnyScript(text));
    }),
    { numRuns: 2000 },
  );
});
