// Who is online, across every process: a user is online while some process holds them
// (from their first socket there until the grace after their last one). lib/presence.ts
// decides when to hold and release and tells friends; this only counts.
export type PresenceStore = {
  /** This process holds the user; true when no process held them before (they came online). */
  hold(userId: number): Promise<boolean>;
  /** This process lets the user go; true when no process holds them now (they went offline). */
  release(userId: number): Promise<boolean>;
  /** Which of these users some process holds. */
  onlineAmong(userIds: readonly number[]): Promise<ReadonlySet<number>>;
  close(): Promise<void>;
};
