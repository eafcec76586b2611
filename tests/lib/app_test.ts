import assert from "node:assert/strict";
import { startTestServer } from "../helpers/server.ts";

Deno.test("GET /healthz answers ok while the database answers, 503 once it does not", async () => {
  await using server = await startTestServer();
  const ok = await fetch(`${server.origin}/healthz`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true });
  await server.store.close();
  const down = await fetch(`${server.origin}/healthz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { ok: false, down: ["database"] }, "it says what is down");
});

Deno.test("every response carries a strict CSP and the other security headers", async () => {
  await using server = await startTestServer();
  for (const path of ["/healthz", "/no-such-page", "/static/app.css"]) {
    const response = await fetch(`${server.origin}${path}`, { headers: { Accept: "text/html" } });
    await response.body?.cancel();
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.ok(!csp.includes("unsafe-inline"), path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.ok(response.headers.get("referrer-policy"), path);
  }
});

Deno.test("an unknown route is a 404: JSON for the API, an HTML page for a browser", async () => {
  await using server = await startTestServer();
  const api = await fetch(`${server.origin}/api/nothing`);
  assert.equal(api.status, 404);
  assert.deepEqual(await api.json(), { error: { code: "not_found", message: "Nothing is here." } });
  const page = await fetch(`${server.origin}/nothing`, { headers: { Accept: "text/html" } });
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await page.text(), /<h1>Not found<\/h1>/);
});

Deno.test("static files with a version get a long cache; without one they are revalidated", async () => {
  await using server = await startTestServer();
  const versioned = await fetch(`${server.origin}/static/app.css?v=abc`);
  await versioned.body?.cancel();
  assert.match(versioned.headers.get("cache-control") ?? "", /max-age=31536000, immutable/);
  const plain = await fetch(`${server.origin}/static/app.css`);
  await plain.body?.cancel();
  assert.equal(plain.headers.get("cache-control"), "no-cache");
});

Deno.test("a page links the stylesheet by the hash of its content", async () => {
  await using server = await startTestServer();
  const html = await (await fetch(`${server.origin}/nothing`, { headers: { Accept: "text/html" } }))
    .text();
  const href = /href="(\/static\/app\.css\?v=[0-9a-f]{12})"/.exec(html)?.[1];
  assert.ok(href);
  const css = await fetch(`${server.origin}${href}`);
  assert.equal(css.status, 200);
  assert.match(await css.text(), /ugo-island/);
});

Deno.test("an unexpected error answers 500 without internals and is logged with its stack", async () => {
  const { createApp } = await import("../../lib/app.tsx");
  const { createLogger } = await import("../../lib/log.ts");
  const { loadConfig } = await import("../../lib/config.ts");
  const { openBackends } = await import("../../lib/backends.ts");
  const { createServices } = await import("../../lib/services.ts");
  const lines: string[] = [];
  const log = createLogger("info", (line) => lines.push(line));
  const config = loadConfig({ DATA_DIR: await Deno.makeTempDir() });
  await using backends = await openBackends(config, log);
  const app = createApp(await createServices(config, backends, log));
  app.get("/api/boom", () => {
    throw new Error("secret internals at /srv/ugochat");
  });
  const response = await app.request("/api/boom");
  assert.equal(response.status, 500);
  const text = await response.text();
  assert.ok(!text.includes("secret"));
  assert.deepEqual(JSON.parse(text), {
    error: { code: "internal", message: "Something went wrong on our side." },
  });
  assert.ok(lines.some((line) => line.includes("http.error") && line.includes("/api/boom")));
  assert.ok(
    lines.some((line) => line.includes("secret internals") && line.includes("at ")),
    "stack logged",
  );
});
