// The broker contract on the one-process broker: every instance is the process itself.
import { createMemoryBroker } from "../../lib/realtime/broker_memory.ts";
import { brokerContract } from "./broker_contract.ts";

brokerContract("memory", () => {
  const broker = createMemoryBroker();
  return Promise.resolve({
    instance: () => Promise.resolve(broker),
    [Symbol.asyncDispose]: () => broker.close(),
  });
});
