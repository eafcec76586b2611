// Who is online, across every process: a user is online while some process holds them
// (from their first socket there until the grace after their last one). lib/presence.ts
// decides when to hold and release and tells friends; this only counts.
export type PresenceStore = {
  /**
   * This process holds the user; true when no process held them before (they came online).
   * Of processes racing to hold someone offline, exactly one gets true.
   */
  hold(userId: number): Promise<boolean>;
  /**
   * This process lets the user go; true when no process holds them now (they went offline).
   * Of processes racing to release someone's last holds, exactly one gets true.
   */
  release(userId: number): Promise<boolean>;
  /** Which of these users some process holds. */
  onlineAmong(userIds: readonly number[]): Promise<ReadonlySet<number>>;
  /**
   * Listens for users who went offline without a release: every process that held them
   * stopped refreshing its hold (it died, or lost the store for longer than the TTL). Each such
   * user is reported once, by one live process, so that it can tell their friends. A store
   * whose holders cannot vanish without releasing (memory: one process) never fires it.
   */
  onExpired?(listener: (userId: number) => void): () => void;
  close(): Promise<void>;
};
