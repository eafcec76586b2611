// The presence contract on the one-process store: every instance is the process itself.
import { createMemoryPresence } from "../../lib/realtime/presence_memory.ts";
import { presenceContract } from "./presence_contract.ts";

presenceContract("memory", () => {
  const presence = createMemoryPresence();
  return Promise.resolve({
    instance: () => Promise.resolve(presence),
    [Symbol.asyncDispose]: () => presence.close(),
  });
}, { shared: false });
