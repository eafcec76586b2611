// Clients that try to exhaust the server's memory through the chat socket: by one huge frame,
// or by sending and never reading. The server runs in its own process, as in production.
import assert from "node:assert/strict";
import { CLOSE, MAX_FRAME_BYTES } from "../../lib/protocol.ts";
import { createClient } from "../helpers/client.ts";
import { sleep } from "../helpers/wait.ts";
import { rssMiB } from "../helpers/proc.ts";
import { spawnServer } from "../helpers/server.ts";
import { frameHeader, openRawChat, textFrame } from "../helpers/raw_socket.ts";
import { openChat } from "../helpers/socket.ts";

const MiB = 1024 * 1024;

Deno.test("60 MiB frames from five sockets at once are closed with 1009 as they arrive, and memory stays flat", async () => {
  await using server = await spawnServer();
  const mallory = createClient(server.origin);
  await mallory.register("mallory");
  const sockets = await Promise.all(
    Array.from({ length: 5 }, () => openRawChat(server.origin, mallory.cookieHeader)),
  );
  await sleep(200);
  const baseline = await rssMiB(server.process.pid);
  const FRAME = 60 * MiB;
  const chunk = new Uint8Array(256 * 1024).fill(0x61); // "aaa…", inside a JSON-less text frame
  let peak = baseline;
  const sampling = setInterval(async () => {
    peak = Math.max(peak, await rssMiB(server.process.pid).catch(() => 0));
  }, 50);
  const results = await Promise.all(sockets.map(async (socket) => {
    const code = socket.closeCode();
    let written = 0;
    let closed = false;
    code.then(() => (closed = true));
    if (await socket.write(frameHeader(1, FRAME))) {
      while (!closed && written < FRAME && await socket.write(chunk)) written += chunk.length;
    }
    const result = { code: await code, written };
    socket.close();
    return result;
  }));
  clearInterval(sampling);
  peak = Math.max(peak, await rssMiB(server.process.pid));
  console.log(
    `RSS ${baseline.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB; written before the close: ${
      results.map((r) => (r.written / MiB).toFixed(1)).join(", ")
    } MiB`,
  );
  for (const { code, written } of results) {
    assert.equal(code, CLOSE.TOO_BIG);
    // What was written before the close came back sat in kernel buffers, not in the server.
    assert.ok(written < FRAME / 2, `the frame was refused before most of it was sent (${written})`);
  }
  // Five frames held would be 300 MiB; quiet runs grow by 3–10 MiB, a loaded machine (its
  // collector behind) by up to about 32.
  assert.ok(peak - baseline < 48, `RSS grew by ${(peak - baseline).toFixed(1)} MiB`);
  const health = await fetch(`${server.origin}/healthz`);
  assert.deepEqual(await health.json(), { ok: true }, "the server is up");
  assert.ok(MAX_FRAME_BYTES < chunk.length, "a single chunk is already over the limit");
});

Deno.test("six sockets that flood pings and never read are cut off (1008 past the inbox, or 4002), memory is given back, and others get pongs promptly", async () => {
  await using server = await spawnServer({ MESSAGES_PER_10S: "100000" });
  const mallory = createClient(server.origin);
  await mallory.register("mallory");
  const bob = createClient(server.origin);
  await bob.register("bob");
  await using b = await openChat(server.origin, bob);
  const warm = await openChat(server.origin, mallory);
  await warm.close();
  await sleep(200);
  const baseline = await rssMiB(server.process.pid);

  const ping = textFrame('{"type":"ping"}');
  const burst = new Uint8Array(ping.length * 4096);
  for (let i = 0; i < 4096; i++) burst.set(ping, i * ping.length);
  const flooders = await Promise.all(
    Array.from({ length: 6 }, () => openRawChat(server.origin, mallory.cookieHeader)),
  );
  let flooding = true;
  const floods = flooders.map(async (socket) => {
    while (flooding && await socket.write(burst)) { /* as fast as TCP allows */ }
  });

  // Meanwhile bob pings, one at a time, and times each answer.
  const latencies: number[] = [];
  const seen = server.lines.length; // the warm-up socket's close is before this
  const dropped = () =>
    server.lines.slice(seen).filter((l) => /socket\.close user=mallory/.test(l)).length;
  const deadline = performance.now() + 30_000;
  while (dropped() < 6 && performance.now() < deadline) {
    const from = b.frames.length;
    const sent = performance.now();
    b.send({ type: "ping" });
    await b.waitFor((f) => f.type === "pong", 10_000, from);
    latencies.push(performance.now() - sent);
    await sleep(50);
  }
  const peak = await rssMiB(server.process.pid);
  flooding = false;
  const codes = await Promise.all(flooders.map((socket) => socket.closeCode()));
  flooders.forEach((socket) => socket.close());
  await Promise.allSettled(floods);
  await sleep(1000);
  const after = await rssMiB(server.process.pid);
  latencies.sort((x, y) => x - y);
  const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
  console.log(
    `RSS ${baseline.toFixed(1)} MiB, ${peak.toFixed(1)} MiB while flooded, ${
      after.toFixed(1)
    } MiB after; ${dropped()} dropped; bob's ping: median ${median.toFixed(1)} ms, worst ${
      (latencies.at(-1) ?? 0).toFixed(1)
    } ms over ${latencies.length}`,
  );
  for (const code of codes) {
    assert.ok(code === 1008 || code === CLOSE.TOO_SLOW, `a flooder was closed with ${code}`);
  }
  assert.ok(peak - baseline < 64, `RSS grew by ${(peak - baseline).toFixed(1)} MiB while flooded`);
  assert.ok(after - baseline < 32, `RSS stayed ${(after - baseline).toFixed(1)} MiB up after`);
  assert.ok(median < 200, `bob's pings took ${median.toFixed(1)} ms (median)`);
  const from = b.frames.length;
  b.send({ type: "ping" });
  await b.waitFor((f) => f.type === "pong", 2000, from);
});
