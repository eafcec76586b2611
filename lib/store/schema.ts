// What every backend shares: refusing a schema newer than the code, LIKE patterns, caps.

/** The database was written by a newer UgoChat: starting would risk it. */
export class SchemaTooNewError extends Error {}

export function schemaTooNew(current: number, latest: number): SchemaTooNewError {
  return new SchemaTooNewError(
    `The database is at schema version ${current}, but this UgoChat knows only up to ${latest}. ` +
      `It was written by a newer UgoChat: upgrade UgoChat, or restore a backup taken before the upgrade.`,
  );
}

/**
 * A LIKE pattern (with ESCAPE '\\') for text containing `query` as typed: its % and _ are
 * not wildcards.
 */
export const containing = (query: string) => `%${query.replace(/[\\%_]/g, "\\$&")}%`;

/** Whether a count has reached its cap (none: never). */
export const reached = (cap: number | undefined, count: number) =>
  cap !== undefined && count >= cap;
