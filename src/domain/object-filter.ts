/**
 * A query filter at the store boundary, for calendars and contacts alike (cf. Xandikos' store
 * `Filter`): the plan the store's index answers, what can be decided without reading a body, and
 * the exact check on the body. object-query.ts runs one against a collection, and with
 * ALMANAC_DEBUG_QUERY=1 answers every query a second time by the exact check alone.
 */
import type { ObjectsReader } from '../store/store.js';
import type { ObjectQuery, Resource } from '../store/types.js';

/**
 * Where a filter's plan is answered: the store's index (`Store.queryObjects`, the default) or,
 * for a collection a client listed, its kept listing (member-listings.ts `queryObjects`).
 */
export type Prefilter = (store: ObjectsReader, collectionId: number, plan: ObjectQuery) => Promise<readonly Resource[]>;

/** The store's index. */
export const storePrefilter: Prefilter = (store, collectionId, plan) => store.queryObjects(collectionId, plan);

export interface ObjectFilter {
  /** Names the filter and its plan in a PlannerMismatch. */
  readonly label: string;
  /**
   * The members the index says may match, ordered by path; null = every member (the plan
   * cannot narrow). `limit`: only so many matches are needed; a filter whose plan is exact
   * may hand it to the store.
   */
  candidates(store: ObjectsReader, collectionId: number, limit?: number): Promise<readonly Resource[] | null>;
  /** Verdicts reached without reading the body (index columns, precomputed data), by id. */
  decide(store: ObjectsReader, batch: readonly Resource[]): Promise<ReadonlyMap<number, boolean>>;
  /**
   * The exact check on an object's body; data that cannot be read never matches. `cached`:
   * false for the debug full scan, which must not trust any cache.
   */
  check(r: Resource, text: string, cached: boolean): Promise<boolean>;
  /** The body's text when the filter keeps it already (a cache), so that it need not be read. */
  keptText?(r: Resource): string | undefined;
}
