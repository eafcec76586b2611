// Hostile frames on the chat socket: answered or closed, never stored, never fatal.
import assert from "node:assert/strict";
import { openTestDatabase } from "../helpers/backend.ts";
import { CLOSE, MAX_FRAME_BYTES } from "../../lib/protocol.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { createClient } from "../helpers/client.ts";
import { rssMiB } from "../helpers/proc.ts";
import { spawnServer } from "../helpers/server.ts";
import { openChat } from "../helpers/socket.ts";

const sendFrame = (text: string) =>
  JSON.stringify({ type: "send", clientId: crypto.randomUUID(), conversationId: LOBBY_ID, text });

/** A JSON frame of exactly `bytes` bytes. */
function frameOfSize(bytes: number): string {
  const base = sendFrame("");
  return base.replace('"text":""', `"text":"${"a".repeat(bytes - base.length)}"`);
}

// Each case: the raw data, and what must happen: an error frame with this code, or this close code.
const CASES: [string, string | Uint8Array, { error?: string; close?: number }][] = [
  ["wrong types", '{"type":"send","clientId":1,"conversationId":"x","text":[]}', {
    error: "invalid_frame",
  }],
  ["unknown type", '{"type":"rm -rf"}', { error: "invalid_frame" }],
  ["no type", '{"text":"hi"}', { error: "invalid_frame" }],
  ["a number", "42", { error: "invalid_frame" }],
  ["a string", '"send"', { error: "invalid_frame" }],
  ["deep nesting", "[".repeat(20_000) + "]".repeat(20_000), { error: "invalid_frame" }],
  ["deep objects", '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000), { error: "invalid_frame" }],
  ["unbalanced", "[".repeat(30_000), { error: "invalid_json" }],
  [
    "__proto__ key",
    '{"__proto__":{"type":"ping"},"type":"typing","conversationId":1,"constructor":{"prototype":{"x":1}}}',
    {},
  ],
  ["__proto__ pollution", '{"type":"ping","__proto__":{"polluted":true}}', {}],
  ["lone surrogate", sendFrame("bad \ud800 text"), { error: "invalid_text" }],
  ["NUL in text", sendFrame("nul \u0000 inside"), { error: "invalid_text" }],
  ["NUL in JSON", '{"type":"ping"}\u0000', { error: "invalid_json" }],
  ["empty frame", "", { error: "invalid_json" }],
  ["64 KiB - 1", frameOfSize(MAX_FRAME_BYTES - 1), { error: "invalid_text" }],
  ["64 KiB", frameOfSize(MAX_FRAME_BYTES), { error: "invalid_text" }],
  ["64 KiB + 1", frameOfSize(MAX_FRAME_BYTES + 1), { close: CLOSE.TOO_BIG }],
  ["1 MiB", frameOfSize(1024 * 1024), { close: CLOSE.TOO_BIG }],
  ["binary", new Uint8Array([0x7b, 0x7d]), { close: CLOSE.UNSUPPORTED_DATA }],
];

Deno.test("malformed frames get an error frame or the documented close code; the server stays up; nothing is stored", async () => {
  await using server = await spawnServer({ MESSAGES_PER_10S: "100000" });
  const alice = createClient(server.origin);
  await alice.register("alice");
  const warm = await openChat(server.origin, alice);
  await warm.close();
  const baseline = await rssMiB(server.process.pid);
  for (let round = 0; round < 3; round++) {
    for (const [name, data, expect] of CASES) {
      const socket = await openChat(server.origin, alice);
      socket.raw(data);
      if (expect.close) {
        assert.equal((await socket.closed).code, expect.close, name);
        continue;
      }
      socket.send({ type: "ping" });
      await socket.waitFor((f) => f.type === "pong", 10_000);
      const errors = socket.all("error");
      if (expect.error) assert.equal(errors[0]?.code, expect.error, name);
      else assert.deepEqual(errors, [], name);
      assert.equal(socket.socket.readyState, WebSocket.OPEN, `${name}: the socket stays open`);
      await socket.close();
    }
  }
  assert.equal(
    ({} as Record<string, unknown>).polluted,
    undefined,
    "no prototype was polluted here",
  );
  const health = await fetch(`${server.origin}/healthz`);
  assert.deepEqual(await health.json(), { ok: true }, "the server is up");
  await using db = await openTestDatabase(server);
  assert.equal(
    (await db.all<{ n: number }>("SELECT COUNT(*) AS n FROM messages"))[0].n,
    0,
    "nothing was stored",
  );

  await new Promise((done) => setTimeout(done, 500));
  const after = await rssMiB(server.process.pid);
  console.log(
    `RSS: ${baseline.toFixed(1)} MiB before ${CASES.length * 3} hostile frames, ${
      after.toFixed(1)
    } MiB after`,
  );
  assert.ok(after < baseline + 48, "memory returns near its baseline");
});

Deno.test("a client sending nothing but garbage is closed after 20 invalid frames", async () => {
  await using server = await spawnServer();
  const alice = createClient(server.origin);
  await alice.register("alice");
  const socket = await openChat(server.origin, alice);
  for (let i = 0; i < 30; i++) socket.raw("garbage");
  assert.equal((await socket.closed).code, 1008);
});
