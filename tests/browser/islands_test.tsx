// The islands layer in a real browser, with a bundle built from test islands.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { bundleArgs } from "../../lib/build.ts";
import { islandScripts, renderWithIslands } from "../../lib/islands.tsx";
import { APP_DIR } from "../../lib/process_flags.ts";
import { securityHeaders } from "../../lib/security_headers.ts";
import { browserTest, launchBrowser, newPage } from "../helpers/browser.ts";
import Broken from "../fixtures/Broken.tsx";
import Counter from "../fixtures/Counter.tsx";

const HOSTILE = "</script><!--<script>alert(1)</script> & \u2028 'quotes' \"too\"";

async function serveFixturePage() {
  const dir = await Deno.makeTempDir({ prefix: "ugochat-islands-" });
  const bundle = `${dir}/islands.js`;
  const built = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(`${APP_DIR}/tests/fixtures/islands_entry.ts`, bundle),
    cwd: APP_DIR,
  }).output();
  assert.ok(built.success, new TextDecoder().decode(built.stderr));
  const { html, islandProps } = renderWithIslands(
    <main>
      <Broken when="client" />
      <Counter label="first" text={HOSTILE} />
      <Counter label="second" text="plain" />
    </main>,
  );
  const page = `<!DOCTYPE html><html><body>${html}${
    islandScripts(islandProps, "/islands.js")
  }</body></html>`;
  const app = new Hono()
    .use(securityHeaders())
    .get("/", (c) => c.html(page))
    .get(
      "/islands.js",
      async (c) => c.body(await Deno.readFile(bundle), 200, { "Content-Type": "text/javascript" }),
    );
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return { url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown() };
}

Deno.test(
  "two instances of one island work independently, and hostile props arrive intact",
  browserTest,
  async () => {
    const site = await serveFixturePage();
    await using browser = await launchBrowser();
    const { page, errors } = await newPage(browser);
    const consoleErrors: string[] = [];
    page.on(
      "console",
      (message) => message.type() === "error" && consoleErrors.push(message.text()),
    );
    await page.goto(site.url);
    await page.locator(".counter[data-label=first][data-ready]").waitFor();
    await page.locator(".counter[data-label=second][data-ready]").waitFor();

    await page.getByRole("button", { name: "first: 0" }).click();
    await page.getByRole("button", { name: "first: 1" }).click();
    await page.getByRole("button", { name: "second: 0" }).click();
    assert.equal(await page.getByRole("button", { name: /^first/ }).textContent(), "first: 2");
    assert.equal(await page.getByRole("button", { name: /^second/ }).textContent(), "second: 1");

    assert.equal(await page.locator(".counter[data-label=first] output").textContent(), HOSTILE);
    assert.deepEqual(errors, [], "no script ran from the props, no page error");
    assert.ok(
      consoleErrors.some((text) => text.includes("island Broken failed to start")),
      "the broken island is logged",
    );
    assert.equal(
      await page.locator("text=server-rendered").count(),
      1,
      "the broken island keeps its server HTML",
    );
    await site.close();
  },
);
