import assert from "node:assert/strict";
import {
  island,
  islandScripts,
  PROPS_ELEMENT_ID,
  renderWithIslands,
  scriptSafeJson,
} from "../../lib/islands.tsx";
import Counter from "../fixtures/Counter.tsx";

const HOSTILE = "</script><!--<script>alert(1)</script>\u2028";

function propsBlock(html: string): string {
  const match = new RegExp(
    `<script type="application/json" id="${PROPS_ELEMENT_ID}">(.*?)</script>`,
    "s",
  )
    .exec(html);
  assert.ok(match, "the page has a props block");
  return match[1];
}

Deno.test("props holding </script><!-- round-trip exactly through the props block", () => {
  const { islandProps } = renderWithIslands(<Counter label="a" text={HOSTILE} />);
  const tags = islandScripts(islandProps, "/static/build/islands.js");
  const block = propsBlock(tags);
  assert.ok(!block.includes("<"), "no < survives inside the script element");
  assert.deepEqual(JSON.parse(block), [{ label: "a", text: HOSTILE }]);
  assert.equal(scriptSafeJson("<").length, '"\\u003c"'.length);
});

Deno.test("each island instance gets its own marker and its own props", () => {
  const { html, islandProps } = renderWithIslands(
    <main>
      <Counter label="first" text="one" />
      <Counter label="second" text="two" />
    </main>,
  );
  assert.equal(html.match(/<ugo-island data-name="Counter"/g)?.length, 2);
  assert.match(html, /data-props="0"/);
  assert.match(html, /data-props="1"/);
  assert.deepEqual(islandProps, [{ label: "first", text: "one" }, {
    label: "second",
    text: "two",
  }]);
});

Deno.test("an island inside an island gets no second marker", () => {
  const Outer = island("Outer", (props: { text: string }) => (
    <section>
      <Counter label="inner" text={props.text} />
    </section>
  ));
  const { html, islandProps } = renderWithIslands(<Outer text="x" />);
  assert.equal(html.match(/<ugo-island/g)?.length, 1);
  assert.deepEqual(islandProps, [{ text: "x" }]);
});

Deno.test("a page with no islands has no script tag", () => {
  const { html, islandProps } = renderWithIslands(<p>plain</p>);
  assert.deepEqual(islandProps, []);
  assert.equal(islandScripts(islandProps, "/x.js"), "");
  assert.ok(!html.includes("<script"));
});

Deno.test("props that are not plain JSON are refused while rendering", () => {
  const Bad = island("Bad", (_props: { onClick: () => void }) => <p />);
  assert.throws(() => renderWithIslands(<Bad onClick={() => {}} />), /plain JSON/);
});
