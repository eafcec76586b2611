// `deno run -A bench/server_flags.ts` prints, as JSON, the Deno flags this checkout's server
// runs with for the settings in the environment. bench/run.ts asks each checkout it benchmarks
// (and copies this file into an earlier one that lacks it), so that every commit runs with its
// own permissions and V8 flags. Before lib/process_flags.ts the module was lib/permissions.ts.
import { loadConfig } from "../lib/config.ts";

type Flags = { serverFlags(config: ReturnType<typeof loadConfig>): string[] };
const flags: Flags = await import("../lib/process_flags.ts").catch(() =>
  import(new URL("../lib/permissions.ts", import.meta.url).href)
);
console.log(JSON.stringify(flags.serverFlags(loadConfig(Deno.env.toObject()))));
