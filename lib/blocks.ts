// Who blocked whom, kept in memory (loaded at start; every process applies each change as the
// broker carries it), so that delivering a Lobby message or a typing notice needs no query.
export function createBlockList() {
  const blockersOf = new Map<number, Set<number>>(); // user → those who blocked them
  const blockedBy = new Map<number, Set<number>>(); // user → those they blocked
  const empty: ReadonlySet<number> = new Set();
  const add = (map: Map<number, Set<number>>, key: number, value: number) => {
    let set = map.get(key);
    if (!set) map.set(key, set = new Set());
    set.add(value);
  };
  const remove = (map: Map<number, Set<number>>, key: number, value: number) => {
    map.get(key)?.delete(value);
    if (map.get(key)?.size === 0) map.delete(key);
  };
  return {
    /** Replaces everything with these [blocker, blocked] pairs (at start, and after a gap). */
    load(pairs: readonly [number, number][]) {
      blockersOf.clear();
      blockedBy.clear();
      for (const [blocker, blocked] of pairs) this.block(blocker, blocked);
    },
    block(blocker: number, blocked: number) {
      add(blockersOf, blocked, blocker);
      add(blockedBy, blocker, blocked);
    },
    unblock(blocker: number, blocked: number) {
      remove(blockersOf, blocked, blocker);
      remove(blockedBy, blocker, blocked);
    },
    /** Users who must not receive what `sender` sends. */
    hiddenFrom: (sender: number): ReadonlySet<number> => blockersOf.get(sender) ?? empty,
    /** True when either blocked the other. */
    between: (a: number, b: number) =>
      (blockersOf.get(a)?.has(b) ?? false) || (blockersOf.get(b)?.has(a) ?? false),
    /** Users either way round from `user`: typing goes to none of them. */
    eitherWay(user: number): ReadonlySet<number> {
      const mine = blockedBy.get(user);
      const theirs = blockersOf.get(user);
      if (!mine) return theirs ?? empty;
      if (!theirs) return mine;
      return new Set([...mine, ...theirs]);
    },
  };
}

export type BlockList = ReturnType<typeof createBlockList>;
