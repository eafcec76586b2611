// Sliding-window counters kept in memory, one per key (an account, an address, a user).
// Each key keeps the times of its recent hits in a queue: expired ones leave from the
// front, so a check costs O(1) however many hits the window holds.
export type RateLimiter = ReturnType<typeof createRateLimiter>;

const SWEEP_AT_KEYS = 10_000; // forget idle keys once this many are held

type Hits = { times: number[]; start: number };

export function createRateLimiter(options: { limit: number; windowMs: number }) {
  const hits = new Map<string, Hits>();
  function recent(key: string, now: number): Hits | undefined {
    const entry = hits.get(key);
    if (!entry) return undefined;
    const { times } = entry;
    while (entry.start < times.length && times[entry.start] <= now - options.windowMs) {
      entry.start++;
    }
    if (entry.start === times.length) {
      hits.delete(key);
      return undefined;
    }
    if (entry.start > 1024 && entry.start * 2 > times.length) {
      entry.times = times.slice(entry.start);
      entry.start = 0;
    }
    return entry;
  }
  function sweep(now: number) {
    if (hits.size < SWEEP_AT_KEYS) return;
    for (const key of [...hits.keys()]) recent(key, now);
  }
  const count = (entry: Hits | undefined) => (entry ? entry.times.length - entry.start : 0);
  return {
    /** Seconds until the key may act again, or 0 when it may now. */
    retryAfterS(key: string, now = Date.now()): number {
      const entry = recent(key, now);
      if (count(entry) < options.limit) return 0;
      const oldestThatCounts = entry!.times[entry!.times.length - options.limit];
      return Math.max(1, Math.ceil((oldestThatCounts + options.windowMs - now) / 1000));
    },
    record(key: string, now = Date.now()): void {
      sweep(now);
      const entry = recent(key, now);
      if (entry) entry.times.push(now);
      else hits.set(key, { times: [now], start: 0 });
    },
    clear(key: string): void {
      hits.delete(key);
    },
    /** Records a hit when allowed; returns the wait in seconds when not. */
    take(key: string, now = Date.now()): number {
      const wait = this.retryAfterS(key, now);
      if (wait === 0) this.record(key, now);
      return wait;
    },
  };
}
