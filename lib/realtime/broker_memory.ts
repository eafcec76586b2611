// The broker of a single process: publishing is a direct call to the listeners.
import type { Broker, Envelope } from "./broker.ts";

export function createMemoryBroker(): Broker {
  const listeners = new Set<(envelope: Envelope) => void>();
  return {
    publish(envelope) {
      for (const listen of listeners) listen(envelope);
    },
    onEnvelope(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onInterrupted() {
      return () => {}; // one process: nothing travels, so nothing is lost on the way
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}

const _: Broker = createMemoryBroker();
