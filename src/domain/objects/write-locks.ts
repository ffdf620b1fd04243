import type { LocksReader } from '../../store/store.js';
import type { Lock } from '../../store/types.js';
import { ObjectRefused } from './object-refused.js';
import type { Principal } from './privileges.js';

/** What a write does to a path, for lock checks (RFC 4918 §7). */
export interface WriteScope {
  readonly path: string;
  /** Adds or removes the path as a member of its parent: the parent's locks apply too. */
  readonly bind: boolean;
  /** Affects everything below the path too (DELETE, MOVE source, COPY/MOVE overwrite). */
  readonly subtree: boolean;
}

/** Locks (unexpired at `now`) a write to these scopes must hold the tokens of. */
async function locksAffecting(reader: LocksReader, scopes: readonly WriteScope[], now: number): Promise<Lock[]> {
  // Every scope's reads at once (issue #20: on PostgreSQL one round trip, not one per read);
  // the locks in the order the reads are listed.
  const lists = await Promise.all(
    scopes.flatMap((s) => [
      // A depth-0 lock on the parent protects its membership; depth-infinity ones are covering already.
      reader.locksCovering(s.path, now, s.bind),
      ...(s.subtree ? [reader.locksWithin(s.path, now)] : []),
    ]),
  );
  const found = new Map<string, Lock>();
  for (const l of lists.flat()) found.set(l.token, l);
  return [...found.values()];
}

/**
 * RFC 4918 §7: a write goes through a lock only with its token, submitted by the lock's owner.
 * SyncML and `almanac import` submit none, so any lock refuses them.
 */
export async function refuseLocked(
  reader: LocksReader,
  principal: Principal,
  scopes: readonly WriteScope[],
  submitted: ReadonlySet<string>,
  now: number,
): Promise<void> {
  const missing = (await locksAffecting(reader, scopes, now)).filter(
    (l) => !submitted.has(l.token) || l.principalId !== principal.id,
  );
  if (missing.length === 0) return;
  throw new ObjectRefused(
    { code: 'locked', paths: missing.map((l) => l.path), tokens: missing.map((l) => l.token) },
    `${scopes[0]?.path ?? ''} is locked (WebDAV lock ${missing[0]?.token ?? ''})`,
  );
}
