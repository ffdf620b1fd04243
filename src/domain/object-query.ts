/**
 * Run an ObjectFilter (object-filter.ts) against a collection: the index narrows the candidates,
 * verdicts the filter reaches without a body are taken, the other candidates' bodies are read in
 * batches and checked exactly. Each match says how it was decided (`decidedBy`); a caller that
 * may not need the bodies of matches decided without one asks for `bodies: 'checked'` and reads
 * what it still needs itself. With ALMANAC_DEBUG_QUERY=1 every query is answered a second time
 * by the exact check over every member (no index, no cache) and the two must agree.
 */
import type { ObjectsReader } from '../store/store.js';
import type { Resource } from '../store/types.js';
import { sliceDue, yieldIfDue } from './cooperative.js';
import type { ObjectFilter } from './object-filter.js';

/**
 * How a match was decided: `index` without reading its body (index columns, precomputed
 * intervals: ObjectFilter.decide), `body` by the exact check on its text.
 */
type Decision = 'index' | 'body';

/** A match, with its body's text: null only for an `index` match under `bodies: 'checked'`. */
export interface QueryHit {
  readonly resource: Resource;
  readonly decidedBy: Decision;
  readonly text: string | null;
}

/** Which matches' bodies the query reads: all (default), or only those it had to check. */
type BodiesRead = 'all' | 'checked';

export interface QueryOptions {
  readonly bodies?: BodiesRead;
  /** Most matches wanted; one more is looked for to tell whether there were more. */
  readonly limit?: number;
}

export interface QueryAnswer {
  /** The matches in candidate (path) order, at most `limit`. */
  readonly hits: readonly QueryHit[];
  /** More than `limit` matched. */
  readonly truncated: boolean;
}

/** ALMANAC_DEBUG_QUERY=1: answer every query twice (index-prefiltered and full scan) and compare. */
function debugQueries(): boolean {
  return process.env.ALMANAC_DEBUG_QUERY === '1';
}

export class PlannerMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlannerMismatch';
  }
}

const decoder = new TextDecoder();

/** Candidate bodies are read this many per query (one round trip each, bounded memory). */
const BODY_BATCH = 200;

/**
 * The texts of `wanted`: those `kept` knows already (a cache that holds them, e.g. the object
 * cache beside a parsed tree) taken from it, the others read in one statement. A member deleted
 * since it was listed has none. Every reader of many members' bodies goes through here, so none
 * reads a body a cache already holds.
 */
export async function readTexts(
  store: ObjectsReader,
  wanted: readonly Resource[],
  kept?: (r: Resource) => string | undefined,
): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  const toRead: number[] = [];
  for (const r of wanted) {
    const text = kept?.(r);
    if (text === undefined) toRead.push(r.id);
    else texts.set(r.id, text);
  }
  if (toRead.length > 0) for (const [id, body] of await store.readBodies(toRead)) texts.set(id, decoder.decode(body));
  return texts;
}

/** The matches among `candidates`, stopping after `want`; `fast` = use the index verdicts and caches. */
async function evaluate(
  store: ObjectsReader,
  candidates: readonly Resource[],
  filter: ObjectFilter,
  fast: boolean,
  bodiesRead: BodiesRead,
  want: number,
): Promise<QueryHit[]> {
  const out: QueryHit[] = [];
  for (let i = 0; i < candidates.length && out.length < want; i += BODY_BATCH) {
    const batch = candidates.slice(i, i + BODY_BATCH);
    const known = fast ? await filter.decide(store, batch) : new Map<number, boolean>();
    const unread = (r: Resource): boolean => bodiesRead === 'checked' && known.get(r.id) === true;
    // The debug full scan (`fast` false) trusts no cache: it reads every body.
    const wanted = batch.filter((r) => known.get(r.id) !== false && !unread(r));
    const texts = await readTexts(store, wanted, fast ? (r) => filter.keptText?.(r) : undefined);
    for (const r of batch) {
      if (out.length >= want) break;
      if (known.get(r.id) === false) continue;
      if (unread(r)) {
        out.push({ resource: r, decidedBy: 'index', text: null });
        continue;
      }
      const text = texts.get(r.id);
      if (text === undefined) continue; // deleted since the prefilter
      if (known.get(r.id) === true) out.push({ resource: r, decidedBy: 'index', text });
      else if (await filter.check(r, text, fast)) out.push({ resource: r, decidedBy: 'body', text });
      if (sliceDue()) await yieldIfDue(); // no promise per candidate while the slice lasts
    }
  }
  return out;
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The members of a collection matching `filter` (see the module comment). */
export async function queryObjects(
  store: ObjectsReader,
  collectionId: number,
  filter: ObjectFilter,
  opts: QueryOptions = {},
): Promise<QueryAnswer> {
  const want = opts.limit === undefined ? Infinity : opts.limit + 1;
  const planned = await filter.candidates(store, collectionId, want);
  const members = async (): Promise<Resource[]> =>
    (await store.listChildren(collectionId)).filter((r) => !r.isCollection);
  const found = await evaluate(store, planned ?? (await members()), filter, true, opts.bodies ?? 'all', want);
  if (debugQueries()) {
    // The full scan reads and checks every member (no index verdict, no cache): it checks both.
    const full = (await evaluate(store, await members(), filter, false, 'all', Infinity))
      .map((m) => m.resource.path)
      .sort(byPath);
    const a = found
      .map((m) => m.resource.path)
      .sort(byPath)
      .join(', ');
    const b = full.slice(0, found.length < want ? full.length : want).join(', ');
    if (a !== b) throw new PlannerMismatch(`${filter.label}: index path found [${a}], full scan [${b}]`);
  }
  const truncated = found.length > (opts.limit ?? Infinity);
  return { hits: truncated ? found.slice(0, opts.limit) : found, truncated };
}

/** Whether one object matches (a query on an object resource). */
export async function objectMatches(store: ObjectsReader, r: Resource, filter: ObjectFilter): Promise<QueryHit | null> {
  return (await evaluate(store, [r], filter, true, 'all', 1))[0] ?? null;
}
