import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../store/types.js';
import { aggregated, privilegesOf } from './privileges.js';
import { expandGranted } from '../../domain/acl/grants.js';
import { resourceRow } from '../../store/resource-fixture.js';

const row = (over: Partial<Resource>): Resource =>
  resourceRow({
    path: '/calendars/alice/default',
    isCollection: true,
    collectionType: 'calendar',
    spanExact: true,
    ...over,
  });
const stored = (r: Resource) => ({ kind: 'stored' as const, path: r.path, ownerId: r.ownerId, stored: r });

describe('RFC 3744 §3: the domain privilege rule and the supported privilege tree agree', () => {
  it('an owner holds every privilege of the tree (DAV:all aggregates exactly these)', () => {
    assert.deepEqual(
      [...privilegesOf({ id: 1, name: 'alice' }, stored(row({})))].sort(),
      [...aggregated('all')].sort(),
    );
  });

  it('another user holds none; a derived member grants no write privilege', () => {
    assert.equal(privilegesOf({ id: 2, name: 'bob' }, stored(row({}))).size, 0);
    const member = privilegesOf(
      { id: 1, name: 'alice' },
      stored(row({ isCollection: false, derived: 'subscription' })),
    );
    for (const p of aggregated('write')) assert.equal(member.has(p), false, p);
  });
});

describe('RFC 3744 §5.5: granted ACEs join the owner rule', () => {
  const bob = (names: string[], path = '/calendars/alice/default') => ({
    id: 2,
    name: 'bob',
    grants: [{ path, privileges: expandGranted(names) }],
  });
  it('a grant of read on a collection reaches its members (inherited, §5.7) and gives read-free-busy (RFC 4791 §6.1.1)', () => {
    const member = privilegesOf(
      bob(['read']),
      stored(row({ path: '/calendars/alice/default/e.ics', isCollection: false })),
    );
    assert.ok(member.has('read') && member.has('read-free-busy') && !member.has('write-content'));
  });
  it('write aggregates write-properties, write-content, bind and unbind (§3.12); all never gives write-acl', () => {
    const w = privilegesOf(bob(['write']), stored(row({})));
    for (const p of ['write-properties', 'write-content', 'bind', 'unbind'] as const) assert.ok(w.has(p), p);
    assert.ok(!privilegesOf(bob(['all']), stored(row({}))).has('write-acl'));
  });
  it('a grant elsewhere, or on a sibling with a common prefix, gives nothing', () => {
    assert.equal(privilegesOf(bob(['read'], '/calendars/alice/def'), stored(row({}))).size, 0);
  });
  it('a grant of write on a derived calendar gives no write (the owner rule is the ceiling)', () => {
    assert.ok(!privilegesOf(bob(['write']), stored(row({ derived: 'subscription' }))).has('bind'));
  });
});

describe('RFC 6638 §6: scheduling privileges on inboxes and outboxes', () => {
  const inbox = stored(row({ path: '/calendars/alice/inbox', collectionType: 'schedule-inbox' }));
  const outbox = stored(row({ path: '/calendars/alice/outbox', collectionType: 'schedule-outbox' }));
  const bob = (names: string[], path: string) => ({
    id: 2,
    name: 'bob',
    grants: [{ path, privileges: expandGranted(names) }],
  });

  it('§6.3: DAV:all aggregates schedule-deliver and schedule-send with their parts', () => {
    for (const p of [...aggregated('schedule-deliver'), ...aggregated('schedule-send')])
      assert.ok(aggregated('all').has(p), p);
    assert.deepEqual([...aggregated('schedule-send')].sort(), [
      'schedule-send',
      'schedule-send-freebusy',
      'schedule-send-invite',
      'schedule-send-reply',
    ]);
  });

  it('§6.1: any other user may deliver to an inbox and query its owner’s free-busy, and nothing more', () => {
    assert.deepEqual([...privilegesOf({ id: 2, name: 'bob' }, inbox)].sort(), [
      'schedule-deliver',
      'schedule-deliver-invite',
      'schedule-deliver-reply',
      'schedule-query-freebusy',
    ]);
  });

  it('§6.2: a write proxy (write on the home) may send from the outbox; a reader or a writer of one calendar may not', () => {
    assert.ok(privilegesOf(bob(['read', 'write'], '/calendars/alice'), outbox).has('schedule-send-invite'));
    assert.equal(privilegesOf(bob(['read'], '/calendars/alice'), outbox).has('schedule-send'), false);
    assert.equal(privilegesOf(bob(['write'], '/calendars/alice/default'), outbox).size, 0);
    assert.equal(privilegesOf({ id: 2, name: 'bob' }, outbox).size, 0);
  });
});
