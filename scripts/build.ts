import { buildBundle, BUNDLE_OUTPUT } from "../lib/build.ts";

await buildBundle();
const { size } = await Deno.stat(BUNDLE_OUTPUT);
console.log(`built ${BUNDLE_OUTPUT} (${(size / 1024).toFixed(1)} KiB)`);
