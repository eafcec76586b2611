import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

Deno.test("a resync reaches every socket of this process, one still in its handshake once live", async () => {
  await using h = await startHarness();
  const { alice, bob } = await h.people("alice", "bob");
  const live = await alice.connect();
  const opening = bob.open(); // in the hub, handshake still running
  h.services.hub.resync();
  await live.waitFor((f) => f.type === "resync");
  await opening.waitFor((f) => f.type === "resync");
  const types = opening.frames.map((f) => f.type);
  assert.ok(types.indexOf("caught_up") < types.indexOf("resync"), types.join(", "));
});
