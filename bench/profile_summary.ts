// `deno run -R bench/profile_summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (as
// `deno task bench --profile` writes) spends its time, by function and by module. Self time is
// the time a function was on top of the stack; total time counts it once per sample in which it
// appears anywhere, so recursion is not counted twice. Shares are of busy time (not idle).
type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, top = "15"] = Deno.args;
const profile: Profile = JSON.parse(await Deno.readTextFile(file));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** A module's short name: npm package, Deno's own extension, the app's path. */
function shortUrl(url: string): string {
  const npm = /node_modules\/\.deno\/([^/]+)\//.exec(url) ??
    /\/npm\/[^/]+\/([^/]+\/[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1].replace(/@[^@]*$/, "")}`;
  if (url.startsWith("ext:")) return url.replace(/^ext:/, "deno:");
  return url.replace(/^file:\/\/.*?\/(lib|routes|bench|main\.ts)/, "$1");
}
// A native function (an op, a SQLite statement, JSON.parse…) has no URL: it is named after the
// nearest JavaScript caller, so that `get` called from the store reads as the store's.
const V8_ITSELF = /^\((root|program|garbage collector|idle)\)$/;
function caller(n: Node): Node | undefined {
  let p = byId.get(parent.get(n.id) ?? -1);
  while (p && !p.callFrame.url && !V8_ITSELF.test(p.callFrame.functionName)) {
    p = byId.get(parent.get(p.id) ?? -1);
  }
  return p?.callFrame.url ? p : undefined;
}
function moduleOf(n: Node): string {
  if (n.callFrame.url) return shortUrl(n.callFrame.url);
  if (V8_ITSELF.test(n.callFrame.functionName)) return "(V8: GC, program)";
  const c = caller(n);
  return `(native, from ${c ? shortUrl(c.callFrame.url) : "?"})`;
}
function functionOf(n: Node): string {
  const { functionName, url, lineNumber } = n.callFrame;
  if (url) return `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
  if (V8_ITSELF.test(functionName)) return functionName;
  const c = caller(n);
  return `${functionName} (native, from ${c ? functionOf(c) : "?"})`;
}

const self = { fn: new Map<string, number>(), mod: new Map<string, number>() };
const total = { fn: new Map<string, number>(), mod: new Map<string, number>() };
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
let busy = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  // A sample's time is the delta to the next sample.
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const leaf = byId.get(id)!;
  if (leaf.callFrame.functionName === "(idle)") return void (idle += dt);
  busy += dt;
  add(self.fn, functionOf(leaf), dt);
  add(self.mod, moduleOf(leaf), dt);
  const fns = new Set<string>();
  const mods = new Set<string>();
  for (let n: Node | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
    fns.add(functionOf(n));
    mods.add(moduleOf(n));
  }
  for (const f of fns) add(total.fn, f, dt);
  for (const m of mods) add(total.mod, m, dt);
});

function print(title: string, m: Map<string, number>, also?: Map<string, number>) {
  console.log(`\n${title}`);
  const rows = [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
  for (const [k, v] of rows) {
    const pct = (x: number) => `${((100 * x) / busy).toFixed(1).padStart(5)} %`;
    console.log(`${pct(v)}${also ? `  ${pct(also.get(k) ?? 0)} total` : ""}  ${k}`);
  }
}

const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
console.log(`${file}: ${ms(busy)} busy, ${ms(idle)} idle`);
print("self time by function (with its total)", self.fn, total.fn);
print("total time by function", total.fn);
print("self time by module (with its total)", self.mod, total.mod);
