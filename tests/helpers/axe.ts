// axe-core on the page as it is now: serious and critical violations fail the test.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

const axeSource = await Deno.readTextFile(
  new URL(import.meta.resolve("axe-core")).pathname.replace(/axe\.js$/, "axe.min.js"),
);

export async function assertAccessible(page: Page, state: string) {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).axe.run(document, { resultTypes: ["violations"] })
  ) as { violations: { id: string; impact: string; nodes: { html: string }[] }[] };
  const serious = results.violations.filter((v) =>
    v.impact === "serious" || v.impact === "critical"
  );
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`),
    [],
    state,
  );
}
