/**
 * The first reads of a DAV request, sent while its credentials are checked (issue #20). Every
 * authenticated request reads its user's row (the password check, domain/accounts/credentials.ts),
 * then the grants of that user (domain/acl/grants.ts) and, in the user's own area, its target
 * beside them (handler.ts). On PostgreSQL each of those steps was a round trip the request waited
 * for — the first one of every request. A user who authenticated on this server before is known
 * by name: the grants of that user and the target are read at once with the user's row, in the
 * same pooled connection (postgres-driver.ts `sharedReads`), and used only if the request then
 * authenticates as that very user (same id and name); anything else reads them as before.
 *
 * Nothing read ahead is shown to anyone before the check passed, and a request whose check fails
 * only cost two reads more; repeated failures are throttled (domain/throttle.ts) as before. The
 * names are kept per server: user ids are only meaningful in its store.
 */
import { loadGrants, type Grant } from '../domain/acl/grants.js';
import { ahead } from '../domain/cooperative.js';
import { Lru } from '../formats/lru.js';
import type { Store } from '../store/store.js';
import type { User } from '../store/types.js';
import { storePathOf } from './core/paths.js';
import { areaOwnerName, resolve, type DavResource } from './core/resource.js';

/** The first reads of a DAV request for one user (handler.ts). */
export interface FirstReads {
  /** What stored ACEs and accepted shares grant the user, read once for the whole request (domain/acl/grants.ts). */
  readonly grants: Promise<Grant[]>;
  /**
   * The request's target when it is in the user's own area, read beside the grants rather than
   * after them (issue #20: one round trip on PostgreSQL, not two); else null: anywhere else it
   * is read only once the area's access check has passed.
   */
  readonly target: Promise<DavResource | null> | null;
}

/** `FirstReads` of a request to `urlPath` by the user (`userId`, `name`), started now. */
export function firstReads(store: Store, userId: number, name: string, urlPath: string): FirstReads {
  const requested = storePathOf(urlPath);
  const own = requested !== null && areaOwnerName(requested) === name;
  return {
    grants: ahead(loadGrants(store, userId)),
    target: own ? ahead(resolve(store, requested)) : null,
  };
}

/** What a request read ahead for the user it names. */
export interface Prefetched extends FirstReads {
  readonly userId: number;
  readonly name: string;
}

/** Names remembered: a server's active users; one more than this forgets the least recent. */
const MAX_NAMES = 10_000;

export class RequestPrefetch {
  private readonly ids = new Lru<string, number>({ maxEntries: MAX_NAMES });

  /** Start the reads of a request to `urlPath` for the user named `name` (from its credentials), if known. */
  start(store: Store, name: string | null, urlPath: string): Prefetched | null {
    const userId = name === null ? undefined : this.ids.peek(name);
    if (name === null || userId === undefined) return null;
    return { userId, name, ...firstReads(store, userId, name, urlPath) };
  }

  /** Remember who authenticated under `name`. */
  learn(name: string | null, user: User): void {
    if (name !== null && name === user.name) this.ids.set(name, user.id);
  }
}

/** The reads done ahead for `user`, or null when they were for someone else (or none were). */
export function prefetchedFor(user: User, prefetched: Prefetched | null | undefined): Prefetched | null {
  return prefetched && prefetched.userId === user.id && prefetched.name === user.name ? prefetched : null;
}
