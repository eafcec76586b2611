// What every backend's schema handling shares.

/** The database was written by a newer UgoChat: starting would risk it. */
export class SchemaTooNewError extends Error {}

export function schemaTooNew(current: number, latest: number): SchemaTooNewError {
  return new SchemaTooNewError(
    `The database is at schema version ${current}, but this UgoChat knows only up to ${latest}. ` +
      `It was written by a newer UgoChat: upgrade UgoChat, or restore a backup taken before the upgrade.`,
  );
}
