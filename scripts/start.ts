// `deno task start`: checks the settings, builds the client bundle, then runs
// the server in its own process with the narrowest permissions that work
// (Deno's flags cannot read DATA_DIR from the environment themselves).
import { resolve } from "node:path";
import { ConfigError, loadConfigFromEnv } from "../lib/config.ts";
import { buildBundle } from "../lib/build.ts";
import { APP_DIR, serverFlags } from "../lib/process_flags.ts";

let config;
try {
  config = loadConfigFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
await Deno.mkdir(config.DATA_DIR, { recursive: true });
await buildBundle();

const server = new Deno.Command(Deno.execPath(), {
  args: ["run", ...serverFlags(config), resolve(APP_DIR, "main.ts")],
  stdin: "null",
}).spawn();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    try {
      server.kill(signal);
    } catch { /* already gone */ }
  });
}
const status = await server.status;
Deno.exit(status.code);
