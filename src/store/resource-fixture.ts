import type { Resource } from './types.js';

/**
 * A stored resource row for unit tests that need one without a store: a plain member of
 * `/files/x` unless `fields` says otherwise. One place, so a column added to Resource is added
 * to every test's rows at once.
 */
export function resourceRow(fields: Partial<Resource> = {}): Resource {
  return {
    id: 1,
    path: '/files/x/item',
    parentId: null,
    isCollection: false,
    collectionType: '',
    ownerId: 1,
    contentType: null,
    size: 0,
    etag: '"x"',
    createdAt: 0,
    modifiedAt: 0,
    syncSeq: 0,
    uid: null,
    component: null,
    firstStart: null,
    lastEnd: null,
    spanExact: false,
    metaSeq: 0,
    derived: null,
    ...fields,
  };
}
