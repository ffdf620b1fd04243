/**
 * What the sharing properties read again and again in one answer, read once per request: a
 * home's PROPFIND Depth 1 names the same sharer (DAV:owner, CS:invite's organizer) and sharee
 * for each of its instances, and asks CS:invite, DAV:share-access and DAV:resourcetype of each
 * collection's shares. Kept with the request context, so it lives as long as one request, which
 * reads (a property's value never waits on a write of its own request).
 */
import type { GroupShare, Share } from '../../store/capabilities/shares.js';
import type { User } from '../../store/types.js';
import type { DavContext } from '../core/context.js';

interface Memo {
  readonly users: Map<number, Promise<User | null>>;
  readonly shares: Map<number, Promise<Share[]>>;
  readonly groupShares: Map<number, Promise<GroupShare[]>>;
  readonly shared: Map<number, Promise<boolean>>;
}

const memos = new WeakMap<DavContext, Memo>();

function memoOf(ctx: DavContext): Memo {
  let m = memos.get(ctx);
  if (!m) {
    m = { users: new Map(), shares: new Map(), groupShares: new Map(), shared: new Map() };
    memos.set(ctx, m);
  }
  return m;
}

function remembered<V>(map: Map<number, Promise<V>>, key: number, read: () => Promise<V>): Promise<V> {
  let p = map.get(key);
  if (!p) {
    p = read();
    map.set(key, p);
  }
  return p;
}

/** The user with this id (the requesting user without a query), once per request. */
export function userById(ctx: DavContext, id: number): Promise<User | null> {
  if (id === ctx.user.id) return Promise.resolve(ctx.user);
  return remembered(memoOf(ctx).users, id, () => ctx.store.getUserById(id));
}

/** The shares of a collection, once per request. */
export function sharesOfCollection(ctx: DavContext, collectionId: number): Promise<Share[]> {
  return remembered(memoOf(ctx).shares, collectionId, () => ctx.store.sharesOf(collectionId));
}

/** The groups a collection is shared with, once per request. */
export function groupSharesOfCollection(ctx: DavContext, collectionId: number): Promise<GroupShare[]> {
  return remembered(memoOf(ctx).groupShares, collectionId, () => ctx.store.groupSharesOf(collectionId));
}

/**
 * Whether the owner shares the collection with anyone: a sharee, or a group (which has no
 * share row of its own while it has no members). One statement, once per request, or none
 * when a listing's page asked for its collections together (`primeSharedByOwner`).
 */
export function isSharedByOwner(ctx: DavContext, collectionId: number): Promise<boolean> {
  return remembered(memoOf(ctx).shared, collectionId, async () =>
    (await ctx.store.sharedCollections([collectionId])).has(collectionId),
  );
}

/** `isSharedByOwner` of several collections (a listing's page), in one statement. */
export async function primeSharedByOwner(ctx: DavContext, collectionIds: readonly number[]): Promise<void> {
  const memo = memoOf(ctx).shared;
  const fresh = [...new Set(collectionIds)].filter((id) => !memo.has(id));
  if (fresh.length === 0) return;
  const read = ctx.store.sharedCollections(fresh);
  for (const id of fresh)
    memo.set(
      id,
      read.then((shared) => shared.has(id)),
    );
  await read;
}
