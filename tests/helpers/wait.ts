// The one way tests wait: poll a condition until it holds, with a timeout that says what
// was awaited and what was seen.
export async function waitUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; what?: string; seen?: () => string; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      const seen = options.seen ? `; seen: ${options.seen()}` : "";
      throw new Error(`timed out waiting for ${options.what ?? "a condition"}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 2));
  }
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
