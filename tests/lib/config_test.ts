import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("an empty environment gives the documented defaults", () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8000);
  assert.equal(config.HOST, "0.0.0.0");
  assert.equal(config.DATA_DIR, "./data");
  assert.equal(config.PUBLIC_ORIGIN, undefined);
  assert.equal(config.LOG_LEVEL, "info");
  assert.equal(config.TRUST_PROXY, false);
});

Deno.test("a bad value is refused with a message naming the variable and the problem", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PORT="eighty"/);
    return true;
  });
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT="70000": .*65535/);
  assert.throws(() => loadConfig({ LOG_LEVEL: "loud" }), /LOG_LEVEL="loud"/);
});

Deno.test("PUBLIC_ORIGIN must be a bare http(s) origin", () => {
  assert.equal(
    loadConfig({ PUBLIC_ORIGIN: "https://chat.example.com/" }).PUBLIC_ORIGIN,
    "https://chat.example.com",
  );
  assert.throws(
    () => loadConfig({ PUBLIC_ORIGIN: "https://chat.example.com/app" }),
    /PUBLIC_ORIGIN=.*origin only/,
  );
  assert.throws(() => loadConfig({ PUBLIC_ORIGIN: "ftp://chat.example.com" }), /PUBLIC_ORIGIN=/);
  assert.throws(() => loadConfig({ PUBLIC_ORIGIN: "chat.example.com" }), /PUBLIC_ORIGIN=/);
});

Deno.test("several bad values are all reported at once", () => {
  assert.throws(() => loadConfig({ PORT: "-1", TRUST_PROXY: "maybe" }), (error: Error) => {
    assert.match(error.message, /PORT/);
    assert.match(error.message, /TRUST_PROXY/);
    return true;
  });
});
