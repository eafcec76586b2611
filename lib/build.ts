// Builds the one client bundle with `deno bundle`, from the islands registry.
import { resolve } from "node:path";
import { APP_DIR } from "./process_flags.ts";

export const BUNDLE_ENTRY = resolve(APP_DIR, "islands/main.ts");
export const BUNDLE_OUTPUT = resolve(APP_DIR, "static/build/islands.js");

export function bundleArgs(entry = BUNDLE_ENTRY, output = BUNDLE_OUTPUT, extra: string[] = []) {
  return ["bundle", "--platform", "browser", "--minify", "--quiet", "-o", output, ...extra, entry];
}

export async function buildBundle(entry = BUNDLE_ENTRY, output = BUNDLE_OUTPUT): Promise<void> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(entry, output),
    cwd: APP_DIR,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
}
