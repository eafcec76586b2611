// Sliding-window counters kept in memory, one per key (an account, an address).
export type RateLimiter = ReturnType<typeof createRateLimiter>;

const SWEEP_AT_KEYS = 10_000; // forget idle keys once this many are held

export function createRateLimiter(options: { limit: number; windowMs: number }) {
  const hits = new Map<string, number[]>();
  function recent(key: string, now: number): number[] {
    const list = (hits.get(key) ?? []).filter((at) => at > now - options.windowMs);
    if (list.length) hits.set(key, list);
    else hits.delete(key);
    return list;
  }
  function sweep(now: number) {
    if (hits.size < SWEEP_AT_KEYS) return;
    for (const key of [...hits.keys()]) recent(key, now);
  }
  return {
    /** Seconds until the key may act again, or 0 when it may now. */
    retryAfterS(key: string, now = Date.now()): number {
      const list = recent(key, now);
      if (list.length < options.limit) return 0;
      return Math.max(
        1,
        Math.ceil((list[list.length - options.limit] + options.windowMs - now) / 1000),
      );
    },
    record(key: string, now = Date.now()): void {
      sweep(now);
      const list = recent(key, now);
      list.push(now);
      hits.set(key, list.slice(-options.limit));
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
