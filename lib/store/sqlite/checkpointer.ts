// Moves SQLite's WAL checkpoints off the server's thread (see checkpoint_worker.ts). The
// server's own connection keeps a high automatic-checkpoint threshold as a safety net, so the
// log stays bounded even if this worker stalls.
import { BUSY_TIMEOUT_MS } from "./db.ts";

export type CheckpointerCommand =
  | { type: "start"; path: string; everyMs: number; busyTimeoutMs: number }
  | { type: "stop" };
export type CheckpointerReport = { type: "error"; message: string } | { type: "stopped" };

/** How often the worker checkpoints: often enough that the log stays a few MiB at full load. */
export const CHECKPOINT_EVERY_MS = 200;

export type Checkpointer = { stop(): Promise<void> };

/** How long a stop waits for a checkpoint in progress before ending the worker anyway. */
const STOP_WAIT_MS = 2_000;

export function startCheckpointer(
  path: string,
  onError: (message: string) => void,
  busyTimeoutMs = BUSY_TIMEOUT_MS,
): Checkpointer {
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), {
    type: "module",
  });
  const stopped = Promise.withResolvers<void>();
  worker.onmessage = (event: MessageEvent<CheckpointerReport>) => {
    if (event.data.type === "stopped") stopped.resolve();
    else onError(event.data.message);
  };
  worker.onerror = (event) => {
    event.preventDefault(); // a failed checkpointer must not take the server down
    onError(event.message);
  };
  const send = (command: CheckpointerCommand) => worker.postMessage(command);
  send({ type: "start", path, everyMs: CHECKPOINT_EVERY_MS, busyTimeoutMs });
  let stopping: Promise<void> | undefined;
  return {
    /** Closes the worker's connection, so that the server's own close is the last one. */
    stop() {
      stopping ??= (async () => {
        send({ type: "stop" });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          stopped.promise,
          new Promise((done) => timer = setTimeout(done, STOP_WAIT_MS)),
        ]);
        clearTimeout(timer);
        worker.terminate();
      })();
      return stopping;
    },
  };
}
