import assert from "node:assert/strict";
import { settingNames, settings } from "../lib/config.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

Deno.test("the README gives both forms of the two commands", () => {
  for (
    const command of [
      "deno task start",
      "deno task test",
      "npx -y deno@2.9.6 task start",
      "npx -y deno@2.9.6 task test",
    ]
  ) {
    assert.ok(readme.includes(command), command);
  }
});

Deno.test("the README's settings table lists every setting with its default", () => {
  for (const name of settingNames) {
    const row = readme.split("\n").find((line) => new RegExp(`^\\| +\`${name}\` +\\|`).test(line));
    assert.ok(row, `${name} is in the table`);
    const fallback = settings[name].schema.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined && typeof fallback.data !== "boolean") {
      assert.ok(
        row.includes(`\`${fallback.data}\``),
        `${name}'s default ${fallback.data} is shown`,
      );
    }
  }
});
