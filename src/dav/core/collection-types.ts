import type { CollectionType } from '../../store/types.js';
import type { ClarkName } from '../../xml/names.js';
import { RESOURCE_TYPES } from './resource.js';

/**
 * Which collection type a DAV:resourcetype names (RFC 5689 §3): the extra elements beside
 * DAV:collection must be exactly those of a registered type. Plain collections have none.
 */
export function collectionTypeFor(elements: readonly ClarkName[]): CollectionType | null {
  const extra = new Set(elements.filter((e) => e !== '{DAV:}collection'));
  if (extra.size === 0) return '';
  for (const [type, names] of RESOURCE_TYPES) {
    if (names.length === extra.size && names.every((n) => extra.has(n))) return type as CollectionType;
  }
  return null;
}

/** Register the DAV:resourcetype elements of a collection type (e.g. calendar → CALDAV:calendar). */
export function registerCollectionType(type: CollectionType, elements: ClarkName[]): void {
  RESOURCE_TYPES.set(type, elements);
}
