// `deno run -A bench/server_flags.ts` prints, as JSON, the Deno flags this checkout's server
// runs with for the settings in the environment. bench/run.ts asks each checkout it benchmarks
// (and copies this file into an earlier one that lacks it), so that every commit runs with its
// own permissions and V8 flags.
import { loadConfig } from "../lib/config.ts";
import { serverFlags } from "../lib/permissions.ts";

console.log(JSON.stringify(serverFlags(loadConfig(Deno.env.toObject()))));
