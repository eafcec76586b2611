import { buildBundle, BUNDLE_OUTPUT } from "../lib/build.ts";

await buildBundle();
const bytes = await Deno.readFile(BUNDLE_OUTPUT);
const gzipped = await new Response(
  new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")),
).arrayBuffer();
const kib = (n: number) => (n / 1024).toFixed(1);
console.log(
  `built ${BUNDLE_OUTPUT}: ${kib(bytes.length)} KiB, ${kib(gzipped.byteLength)} KiB gzipped`,
);
