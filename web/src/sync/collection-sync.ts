import type { DavClient, DavCollection, DavObject } from '../dav/client.js';
import { DavHttpError } from '../dav/errors.js';
import { sameHref } from '../dav/client.js';
import type { Cache, CachedObject } from './cache.js';

const BATCH = 200;

export interface SyncOutcome {
  readonly changed: DavObject[];
  readonly removed: string[];
  /** Everything was dropped and loaded again (first visit or an expired token). */
  readonly full: boolean;
}

/**
 * Bring the cache of one collection up to date: sync-collection from the cached token
 * (RFC 6578), then multiget only the members whose ETag changed. A token the server no
 * longer accepts (403/409 DAV:valid-sync-token, §3.2) means a full sync. Servers without
 * sync-collection are compared by PROPFIND ETags.
 */
export async function syncCollection(
  client: DavClient,
  cache: Cache,
  key: string,
  col: DavCollection,
  known: Map<string, string>,
): Promise<SyncOutcome> {
  let token = await cache.token(key);
  let full = token === undefined;
  const changed: DavObject[] = [];
  const removed: string[] = [];
  for (let round = 0; round < 50; round++) {
    let result;
    try {
      result = await client.syncCollection(col.href, token);
    } catch (err) {
      if (err instanceof DavHttpError && (err.status === 403 || err.status === 409) && token) {
        await cache.clear(key);
        known.clear();
        token = undefined;
        full = true;
        continue;
      }
      if (err instanceof DavHttpError && [400, 403, 405, 501].includes(err.status))
        return etagSync(client, cache, key, col, known);
      throw err;
    }
    const want = result.changed.filter((c) => known.get(c.href) !== c.etag).map((c) => c.href);
    const fetched: DavObject[] = [];
    for (let i = 0; i < want.length; i += BATCH)
      fetched.push(...(await client.multiget(col.href, col.kind, want.slice(i, i + BATCH))));
    const put: CachedObject[] = fetched.map((o) => ({ col: key, href: o.href, etag: o.etag, data: o.data }));
    await cache.apply(key, result.token, put, result.removed);
    for (const o of fetched) known.set(o.href, o.etag);
    for (const h of result.removed) known.delete(h);
    changed.push(...fetched);
    removed.push(...result.removed);
    token = result.token;
    if (!result.truncated) break;
  }
  return { changed, removed, full };
}

async function etagSync(
  client: DavClient,
  cache: Cache,
  key: string,
  col: DavCollection,
  known: Map<string, string>,
): Promise<SyncOutcome> {
  const list = await client.listEtags(col.href);
  const want = list.filter((c) => known.get(c.href) !== c.etag).map((c) => c.href);
  const removed = [...known.keys()].filter((h) => !list.some((l) => sameHref(l.href, h)));
  const changed: DavObject[] = [];
  for (let i = 0; i < want.length; i += BATCH)
    changed.push(...(await client.multiget(col.href, col.kind, want.slice(i, i + BATCH))));
  await cache.apply(
    key,
    undefined,
    changed.map((o) => ({ col: key, href: o.href, etag: o.etag, data: o.data })),
    removed,
  );
  for (const o of changed) known.set(o.href, o.etag);
  for (const h of removed) known.delete(h);
  return { changed, removed, full: false };
}
