// Starts UgoChat: opens the store, serves the app, and shuts down gracefully.
import { createApp } from "./app.tsx";
import { openBackends } from "./backends.ts";
import { type Config, ConfigError, loadConfigFromEnv } from "./config.ts";
import { serveHttp } from "./http_server.ts";
import { createLogger, type Logger } from "./log.ts";
import { createServices, type Services } from "./services.ts";
import { SchemaTooNewError, type Store, StoreUnavailableError } from "./store/mod.ts";

export { DATABASE_FILE } from "./store/mod.ts";

export type RunningServer = {
  port: number;
  origin: string;
  store: Store;
  log: Logger;
  services: Services;
  /** Stops accepting, closes sockets with 1001, lets requests finish (bounded), closes the store. */
  shutdown(): Promise<void>;
  /** Resolves when shutdown has finished. */
  finished: Promise<void>;
};

export type StartOptions = { log?: Logger; onListen?: (server: RunningServer) => void };

export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const backends = await openBackends(config, log);
  const services = await createServices(config, backends, log);
  const app = createApp(services);
  // node:http rather than Deno.serve, so that chat sockets can refuse big frames as they arrive.
  const http = await serveHttp(app.fetch, { hostname: config.HOST, port: config.PORT });
  const address = { hostname: http.address.address, port: http.address.port };
  const shownHost = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  log.info("server.start", {
    listen: `http://${shownHost}:${address.port}`,
    data: backends.location,
    origin: config.PUBLIC_ORIGIN ?? "(each request's Host)",
  });

  const finished = Promise.withResolvers<void>();
  let stopping: Promise<void> | undefined;
  function shutdown(): Promise<void> {
    stopping ??= (async () => {
      log.info("server.stopping");
      services.stop("server shutting down");
      const drained = Promise.all([http.close(), services.websockets.closed()]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise((done) => timer = setTimeout(done, config.SHUTDOWN_GRACE_MS));
      await Promise.race([
        drained,
        grace.then(() => log.warn("server.grace_expired", { ms: config.SHUTDOWN_GRACE_MS })),
      ]);
      clearTimeout(timer);
      http.closeAllConnections(); // past the grace period, whatever is left is cut
      services.websockets.stop();
      await backends.close();
      finished.resolve();
      log.info("server.stop");
    })();
    return stopping;
  }

  return {
    port: address.port,
    store: backends.store,
    origin: `http://${address.hostname === "0.0.0.0" ? "127.0.0.1" : shownHost}:${address.port}`,
    log,
    services,
    shutdown,
    finished: finished.promise,
  };
}

/** The process entry: reads the environment, starts, and exits 0 after SIGINT/SIGTERM. */
export async function runFromEnvironment(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    Deno.exit(1);
  }
  // Listen for signals before the start line is printed: a supervisor may signal at once.
  const started = Promise.withResolvers<RunningServer>();
  const stop = async () => {
    await (await started.promise).shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    started.resolve(await startServer(config));
  } catch (error) {
    if (!(error instanceof SchemaTooNewError || error instanceof StoreUnavailableError)) {
      throw error;
    }
    console.error(`UgoChat cannot start: ${error.message}`);
    Deno.exit(1);
  }
}
