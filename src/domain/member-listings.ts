/**
 * The members of collections as last listed, kept by collection state and brought up to date
 * from the change feed (issue #20): a PROPFIND Depth 1 or an initial sync-collection of a
 * collection that did not change reads no member row, and one after a few changes reads the
 * feed and the changed members' rows only — not every member again. A multiget of its members
 * takes their rows from it too (`byPaths`), and a calendar-query or free-busy query its
 * candidates (`queryObjects`): the index prefilter applied to the kept rows in memory.
 *
 * Why it is never stale (docs/ARCHITECTURE.md "Caches"): every write of a member records a
 * change in its collection's feed and bumps the collection's `syncSeq` in the same transaction
 * (store `recordChange`), and anything else that changes a member's row bumps the collection's
 * `metaSeq` (properties, ACL, shares); a collection moved keeps its id but not its path. So a
 * listing kept for (id, path, metaSeq) at feed position S holds every change up to S, and one
 * asked for at a later position is the kept one with the feed's changes after S applied — the
 * changed members read again by path (found: put; gone: removed). Each listing starts from a
 * collection row the request has just read, so its rows are never older than that row says;
 * the feed may hold changes committed since (another request, another node), which are applied
 * too. A listing whose feed was compacted past S, whose metadata state moved, or that changed
 * too much is read whole again.
 */
import { Lru, type CacheStats } from '../formats/lru.js';
import type { ObjectsReader } from '../store/store.js';
import { memberPath, sortByPath } from '../store/paths.js';
import type { ObjectQuery, Resource } from '../store/types.js';
import { firstAtOrAfter } from '../formats/sorted-search.js';

/** A collection's members as of `seq` in its feed, sorted by path like the store lists them. */
interface Listing {
  readonly path: string;
  readonly metaSeq: number;
  readonly seq: number;
  readonly members: readonly Resource[];
}

/** Collections with more members than this are listed from the store every time. */
const MAX_LISTED_MEMBERS = 10_000;
/** More changes than this since a kept listing: read it whole again rather than apply them. */
const MAX_APPLIED_CHANGES = 500;
/**
 * Rough bytes of one kept member: a Resource and its strings (~400), and the texts a listing
 * writes once per row and keeps with it (dav/core/member-texts.ts: its response's start and
 * the elements asked of it, ~200).
 */
const MEMBER_BYTES = 600;

/**
 * The rows of every listing kept (and not yet collected): what is written once for a row and
 * kept with it (dav/core/member-texts.ts) is kept only for these. A row read for one request
 * alone (a listing read from the store, a multiget's rows) gets nothing kept: a weak entry per
 * such row cost the collector more than writing its texts (a 2,000-member PROPFIND with the
 * listings off took 1.35× the CPU).
 */
const keptRows = new WeakSet<Resource>();

/** Whether `row` is held by a kept listing. */
export function isKeptRow(row: Resource): boolean {
  return keptRows.has(row);
}

export class MemberListings {
  /** `lru` null: nothing kept, every listing read from the store. */
  private constructor(private readonly lru: Lru<number, Listing> | null) {}

  /** Listings of about `bytes` in all (0 = off). */
  static ofBytes(bytes: number): MemberListings {
    return new MemberListings(bytes > 0 ? new Lru<number, Listing>({ maxBytes: bytes }) : null);
  }

  stats(): CacheStats | null {
    return this.lru?.stats() ?? null;
  }

  /**
   * The direct members of `collection`, a row as the request just read it (its `syncSeq` and
   * `metaSeq` are the state to answer), sorted by path, in pages of at most `pageSize`. A listing
   * read from the store is read page by page while the answer is produced, as without a cache,
   * and kept only once it was read whole (not when the reader stopped or a read failed).
   */
  async *pagesOf(reader: ObjectsReader, collection: Resource, pageSize: number): AsyncGenerator<readonly Resource[]> {
    const lru = this.lru;
    if (lru) {
      const listing = await this.current(reader, collection);
      if (listing) {
        for (let i = 0; i < listing.members.length; i += pageSize) yield listing.members.slice(i, i + pageSize);
        return;
      }
    }
    let members: Resource[] | null = lru ? [] : null;
    for await (const page of storePages(reader, collection.id, pageSize)) {
      if (members && members.length + page.length <= MAX_LISTED_MEMBERS) members.push(...page);
      else members = null;
      yield page;
    }
    if (lru && members)
      this.keep(lru, collection.id, {
        path: collection.path,
        metaSeq: collection.metaSeq,
        seq: collection.syncSeq,
        members,
      });
  }

  /**
   * The rows at `paths`, as `reader.getResourcesByPaths` gives them, for a multiget on
   * `collection` (a row the request has just read): a direct member's row from the collection's
   * kept listing when there is one for its state (brought up to date from the feed as
   * `pagesOf` does; a path it does not hold is no member now), every other path from the store.
   * A listing is only used here, never read whole for it: a client lists a collection (PROPFIND
   * Depth 1, sync-collection) before it fetches what changed, and that listing is what is kept.
   */
  async byPaths(reader: ObjectsReader, collection: Resource, paths: readonly string[]): Promise<Resource[]> {
    const listing = await this.current(reader, collection);
    if (!listing) return reader.getResourcesByPaths(paths);
    const index = indexOf(listing);
    const prefix = `${collection.path}/`;
    const found: Resource[] = [];
    const elsewhere: string[] = [];
    for (const p of paths) {
      const direct = p.startsWith(prefix) && !p.includes('/', prefix.length);
      const m = direct ? index.get(p) : undefined;
      if (m) found.push(m);
      else if (!direct) elsewhere.push(p);
    }
    if (elsewhere.length > 0) found.push(...(await reader.getResourcesByPaths(elsewhere)));
    return found;
  }

  /**
   * `reader.queryObjects(collection.id, q)` for a query on `collection` (a row the request has
   * just read): from its kept listing when there is one for its state (brought up to date from
   * the feed as `pagesOf` does), else from the store's index. The listing holds every index
   * column the prefilter reads, so it keeps what the store's prefilter keeps (`prefilterKeeps`).
   */
  async queryObjects(reader: ObjectsReader, collection: Resource, q: ObjectQuery): Promise<Resource[]> {
    const listing = await this.current(reader, collection);
    return listing ? candidatesOf(listing, q) : reader.queryObjects(collection.id, q);
  }

  /** The kept listing of `collection` at its state, brought up to date from the feed; null when none is kept (or listings are off). */
  private async current(reader: ObjectsReader, collection: Resource): Promise<Listing | null> {
    const lru = this.lru;
    const kept = lru?.get(collection.id, (l) => l.path === collection.path && l.metaSeq === collection.metaSeq);
    if (!lru || !kept) return null;
    if (kept.seq >= collection.syncSeq) return kept;
    const listing = await updated(reader, collection, kept);
    if (listing) this.keep(lru, collection.id, listing);
    return listing;
  }

  /** Keep `listing` unless one of the same collection state at a later position is kept already (concurrent updates). */
  private keep(lru: Lru<number, Listing>, id: number, listing: Listing): void {
    const now = lru.peek(id);
    if (now && now.path === listing.path && now.metaSeq === listing.metaSeq && now.seq > listing.seq) return;
    for (const m of listing.members) keptRows.add(m);
    lru.set(id, listing, 256 + listing.members.length * MEMBER_BYTES);
  }
}

/**
 * The store's index prefilter (`ObjectQuery`, store/types.ts) applied to a kept listing: its
 * objects (no collections) of the component and UID asked for, with firstStart < rangeEnd and
 * lastEnd > rangeStart, a null bound being unbounded, in the listing's (path) order. The store
 * reaches the same set through span classes (store/sql/span-class.ts);
 * test/store/member-listings.test.ts compares the two.
 *
 * A range is looked up in the listing's spans (`spansOf`): the members starting before its end
 * are a prefix found by binary search, and only their ends are tested. Filtering every member
 * object by object cost ~1.5 ms a query at 10,000 members, an eighth of a month query's time
 * (issue #20); the typed arrays take some tens of microseconds.
 */
function candidatesOf(listing: Listing, q: ObjectQuery): Resource[] {
  const { members } = listing;
  const keeps = (m: Resource): boolean =>
    !m.isCollection &&
    (q.component === undefined || m.component === q.component) &&
    (q.uid === undefined || m.uid === q.uid);
  if (q.rangeStart === undefined && q.rangeEnd === undefined) return members.filter(keeps);
  const { order, starts, ends } = spansOf(listing);
  const before = q.rangeEnd === undefined ? order.length : firstAtOrAfter(starts, q.rangeEnd);
  const after = q.rangeStart ?? -Infinity;
  const hits: number[] = [];
  for (let i = 0; i < before; i++) if ((ends[i] as number) > after) hits.push(order[i] as number);
  hits.sort((a, b) => a - b);
  const out: Resource[] = [];
  for (const i of hits) {
    const m = members[i] as Resource;
    if (keeps(m)) out.push(m);
  }
  return out;
}

/**
 * A listing's members by start (null first, as −∞): `order[i]` is a member's position in the
 * listing, `starts[i]` its firstStart, `ends[i]` its lastEnd (null as +∞). Made when a query
 * first looks one up, gone with the listing; not counted in the listings' budget (20 bytes a
 * member against MEMBER_BYTES).
 */
interface Spans {
  readonly order: Int32Array;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

const spans = new WeakMap<Listing, Spans>();

function spansOf(listing: Listing): Spans {
  const kept = spans.get(listing);
  if (kept) return kept;
  const { members } = listing;
  const startOf = (i: number): number => members[i]?.firstStart ?? -Infinity;
  const order = Int32Array.from(members.keys()).sort((a, b) => startOf(a) - startOf(b) || a - b);
  const starts = new Float64Array(order.length);
  const ends = new Float64Array(order.length);
  order.forEach((m, i) => {
    starts[i] = startOf(m);
    ends[i] = members[m]?.lastEnd ?? Infinity;
  });
  const made = { order, starts, ends };
  spans.set(listing, made);
  return made;
}

/**
 * Each kept listing's members by path, made when a multiget first looks one up, and gone with
 * the listing. Not counted in the listings' budget: a Map entry is about 80 bytes against MEMBER_BYTES.
 */
const indexes = new WeakMap<Listing, ReadonlyMap<string, Resource>>();

function indexOf(listing: Listing): ReadonlyMap<string, Resource> {
  let index = indexes.get(listing);
  if (!index) indexes.set(listing, (index = new Map(listing.members.map((m) => [m.path, m]))));
  return index;
}

/**
 * The direct members of a stored collection read from the store page by page (at most
 * `pageSize` each, by path), so that memory stays flat at any size.
 */
export async function* storePages(
  reader: ObjectsReader,
  parentId: number,
  pageSize: number,
): AsyncGenerator<Resource[]> {
  let after: string | null = null;
  for (;;) {
    const page = await reader.listChildrenPage(parentId, after, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?.path ?? null;
  }
}

/**
 * `kept` with the feed's changes after its position applied: the changed members read again by
 * path. Null when the feed no longer reaches back to it or holds too many changes.
 */
async function updated(reader: ObjectsReader, collection: Resource, kept: Listing): Promise<Listing | null> {
  const changes = await reader.changesSince(collection.id, kept.seq, MAX_APPLIED_CHANGES + 1);
  if (changes.length > MAX_APPLIED_CHANGES) return null;
  // A feed has one change per sequence number: one that does not go on from the kept position
  // was compacted past it (compaction also moves the collection's metaSeq, so this is a second guard).
  if (collection.syncSeq > kept.seq && changes[0]?.seq !== kept.seq + 1) return null;
  const seq = Math.max(collection.syncSeq, ...changes.map((c) => c.seq));
  const paths = [...new Set(changes.map((c) => memberPath(collection.path, c.name)))];
  const now = new Map((await reader.getResourcesByPaths(paths)).map((r) => [r.path, r]));
  const changed = new Set(paths);
  const members = kept.members.filter((m) => !changed.has(m.path));
  for (const r of now.values()) if (r.parentId === collection.id) members.push(r);
  if (members.length > MAX_LISTED_MEMBERS) return null;
  return { path: collection.path, metaSeq: collection.metaSeq, seq, members: sortByPath(members) };
}
