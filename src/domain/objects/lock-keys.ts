/**
 * Transaction lock keys of writes (Store.transaction): the user areas (`/calendars/alice`) the
 * given paths lie in, so writes to one user's data are serialised and others run in parallel.
 */
export function areaKeys(...paths: string[]): string[] {
  return [...new Set(paths.map((p) => p.split('/').slice(0, 3).join('/') || '/'))];
}
