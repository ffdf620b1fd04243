import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../store/types.js';
import { aggregated, privilegesOf } from './privileges.js';

const row = (over: Partial<Resource>): Resource => ({
  id: 1, path: '/calendars/alice/default', parentId: null, isCollection: true, collectionType: 'calendar', ownerId: 1,
  contentType: null, size: 0, etag: '"x"', createdAt: 0, modifiedAt: 0, syncSeq: 0, uid: null, component: null,
  firstStart: null, lastEnd: null, spanExact: true, metaSeq: 0, derived: null, ...over,
});
const stored = (r: Resource) => ({ kind: 'stored' as const, ownerId: r.ownerId, stored: r });

describe('RFC 3744 §3: the domain privilege rule and the supported privilege tree agree', () => {
  it('an owner holds every privilege of the tree (DAV:all aggregates exactly these)', () => {
    assert.deepEqual([...privilegesOf({ id: 1, name: 'alice' }, stored(row({})))].sort(), [...aggregated('all')].sort());
  });

  it('another user holds none; a derived member grants no write privilege', () => {
    assert.equal(privilegesOf({ id: 2, name: 'bob' }, stored(row({}))).size, 0);
    const member = privilegesOf({ id: 1, name: 'alice' }, stored(row({ isCollection: false, derived: 'subscription' })));
    for (const p of aggregated('write')) assert.equal(member.has(p), false, p);
  });
});
