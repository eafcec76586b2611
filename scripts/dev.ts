// `deno task dev`: rebuilds the client bundle and restarts the server on change.
import { buildBundle, bundleArgs } from "../lib/build.ts";
import { APP_DIR, serverFlags } from "../lib/process_flags.ts";
import { loadConfigFromEnv } from "../lib/config.ts";

const config = loadConfigFromEnv();
await Deno.mkdir(config.DATA_DIR, { recursive: true });
await buildBundle(); // the server hashes the bundle at its first page, so it must exist
const run = (args: string[]) => new Deno.Command(Deno.execPath(), { args, cwd: APP_DIR }).spawn();
const bundler = run(bundleArgs(undefined, undefined, ["--watch"]));
const server = run(["run", "--watch=static/", ...serverFlags(config), "main.ts"]);
await Promise.race([bundler.status, server.status]);
Deno.exit(1);
