import type { CollectionType } from '../../store/types.js';
import type { ClarkName } from '../../xml/names.js';
import type { DavContext, DavResponse } from './context.js';
import type { ObjectTypeDef } from './object-types.js';
import type { DavResource } from './resource.js';

/**
 * A collection type, defined in one place and registered with `Registry.collectionType`: what
 * DAV:resourcetype names it, what it does with the bodies put into it, and what a GET of the
 * collection itself answers. Its properties, reports and methods are registered beside it and
 * say by `appliesTo` / `allowedOn` where they apply.
 */
export interface CollectionTypeDef {
  /** The stored collection type. */
  readonly name: Exclude<CollectionType, ''>;
  /** The DAV:resourcetype elements beside DAV:collection (RFC 4918 §15.9, RFC 5689 §3). */
  readonly resourceType: readonly ClarkName[];
  /** Validation, normalising and indexing of member bodies, and how GET represents them. */
  readonly objects?: ObjectTypeDef;
  /** The answer to a GET of the collection (e.g. the whole calendar); absent = no body. */
  exportCollection?(ctx: DavContext, r: DavResource): Promise<DavResponse>;
}
