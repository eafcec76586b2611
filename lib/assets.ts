// Versioned URLs for files in static/: the version is a hash of the content,
// so a long cache is safe and a new build is fetched at once.

const STATIC_DIR = new URL("../static/", import.meta.url);
const versions = new Map<string, string>();

export async function assetUrl(path: string): Promise<string> {
  let version = versions.get(path);
  if (version === undefined) {
    const bytes = await Deno.readFile(new URL(path, STATIC_DIR));
    version = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).toHex().slice(0, 12);
    versions.set(path, version);
  }
  return `/static/${path}?v=${version}`;
}
