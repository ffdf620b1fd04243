/**
 * RFC 3744 §5.5 inheritance as `grantedOn` computes it: a grant on a collection reaches the
 * collection and everything below it, and nothing beside it. With many grants (a sharee of
 * dozens of calendars) they are looked up by path; the answer must be the scan's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { covers, expandGranted, grantedOn, type Grant } from './grants.js';

const grant = (path: string, ...names: string[]): Grant => ({ path, privileges: expandGranted(names) });

/** What a plain scan of every grant gives. */
function scanned(grants: readonly Grant[], path: string): string[] | null {
  const hit = grants.filter((g) => covers(g.path, path));
  return hit.length === 0 ? null : [...new Set(hit.flatMap((g) => [...g.privileges]))].sort();
}

describe('RFC 3744 §5.5: grants reach a resource and its members', () => {
  const many: Grant[] = [];
  for (let i = 0; i < 60; i++) {
    many.push(grant(`/calendars/owner/team-${i}`, i % 2 ? 'read' : 'write', 'read'));
    many.push(grant(`/calendars/sharee/instance-${i}`, 'read'));
  }
  many.push(grant('/calendars/owner/team-3', 'write'), grant('/', 'read'), grant('/files/a/', 'read'));

  const paths = [
    '/calendars/owner/team-3',
    '/calendars/owner/team-3/x.ics',
    '/calendars/owner/team-30/x.ics',
    '/calendars/owner/team-',
    '/calendars/owner',
    '/calendars/sharee/instance-7/',
    '/calendars/sharee/instance-7/deep/er.ics',
    '/calendars/sharee/instance-70',
    '/',
    '/x',
    '/files/a/',
    '/files/a/b',
    '/files/a//b',
    '/files/a',
  ];

  it('with many grants, what reaches each path is what a scan finds', () => {
    for (const path of paths) {
      const got = grantedOn(many, path);
      assert.deepEqual(got ? [...got].sort() : null, scanned(many, path), path);
    }
  });

  it('a grant beside the path (a common prefix) does not reach it; one above does', () => {
    assert.equal(grantedOn(many, '/calendars/owner/team-60/a.ics'), null);
    assert.ok(grantedOn(many, '/calendars/owner/team-3/a.ics')?.has('write-content'));
    assert.equal(grantedOn(many, '/calendars/owner/team-1/a.ics')?.has('write-content'), false);
    assert.equal(grantedOn([grant('/a/b', 'read')], '/a/bc'), null);
  });
});
