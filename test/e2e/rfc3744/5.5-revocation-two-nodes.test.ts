/**
 * RFC 3744 §5.5 and caldav-sharing §5.3.2 on two nodes of one PostgreSQL database: a grant or
 * share revoked through node A is refused by node B on the very next request — also for a report
 * node B has just answered (its answer cache keys on the grants, read from the store per request).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, type TestServer } from '../../helpers/server.js';
import { startTwoPostgresNodes, type TwoNodes } from '../../helpers/two-nodes.js';
import { shareAndAccept } from '../caldav-sharing/sharing-steps.js';
import { addGroup, setGroupMember } from '../../../src/domain/accounts/groups.js';
import { event, grantAcl, NS } from './grant-matrix-cases.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const QUERY = `<?xml version="1.0"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`;

describe('revocation on one node holds on the other at once (PostgreSQL)', async () => {
  const skip = await postgresSkipReason();
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    if (skip) return;
    nodes = await startTwoPostgresNodes();
    ({ a, b } = nodes);
    const alice = davFetch(a.url, 'alice');
    for (const cal of ['acl', 'shared', 'team']) {
      assert.equal((await alice(`/dav/calendars/alice/${cal}/`, { method: 'MKCALENDAR' })).status, 201);
      const put = await alice(`/dav/calendars/alice/${cal}/ev.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: event(`${cal}-ev`),
      });
      assert.equal(put.status, 201);
    }
  });
  after(async () => nodes?.close());

  it('an ACE removed through A: B refuses the GET and the report it just answered', { skip }, async () => {
    const base = '/dav/calendars/alice/acl/';
    await grantAcl(davFetch(a.url, 'alice'), base, { principal: 'user', privileges: ['read'] });
    const bob = davFetch(b.url, 'bob');
    const report = () => bob(base, { method: 'REPORT', headers: { ...XML, Depth: '1' }, body: QUERY });
    assert.equal((await report()).status, 207);
    assert.equal((await report()).status, 207, 'answered again (from the cache)');
    await grantAcl(davFetch(a.url, 'alice'), base, null);
    const refused = await report();
    assert.equal(refused.status, 403);
    assert.doesNotMatch(await refused.text(), /acl-ev/);
    assert.equal((await bob(`${base}ev.ics`)).status, 403);
  });

  it('a share removed through A: the instance is gone on B and the owner path is refused', { skip }, async () => {
    const base = '/dav/calendars/alice/shared/';
    const instance = await shareAndAccept(a.url, 'alice', base, 'bob', 'read-write');
    const bob = davFetch(b.url, 'bob');
    assert.equal((await bob(`${instance}ev.ics`)).status, 200);
    const unshare = await davFetch(a.url, 'alice')(base, {
      method: 'POST',
      headers: XML,
      body: `<CS:share ${NS}><CS:remove><D:href>mailto:bob@example.com</D:href></CS:remove></CS:share>`,
    });
    assert.equal(unshare.status, 200);
    assert.equal((await bob(`${instance}ev.ics`)).status, 404);
    assert.equal((await bob(`${base}ev.ics`)).status, 403);
    const put = await bob(`${base}new.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: event('after'),
    });
    assert.equal(put.status, 403);
  });

  it('issue #17: a member removed from a group through A can no longer read on B', { skip }, async () => {
    const base = '/dav/calendars/alice/team/';
    await addGroup(a.store, 'team');
    await setGroupMember(a.store, 'team', 'bob', true);
    const share = await davFetch(a.url, 'alice')(base, {
      method: 'POST',
      headers: XML,
      body: `<CS:share ${NS}><CS:set><D:href>/dav/principals/groups/team/</D:href><CS:read/></CS:set></CS:share>`,
    });
    assert.equal(share.status, 200);
    const bob = davFetch(b.url, 'bob');
    assert.equal((await bob(`${base}ev.ics`)).status, 200, 'B serves the member');
    await setGroupMember(a.store, 'team', 'bob', false);
    assert.equal((await bob(`${base}ev.ics`)).status, 403);
    const report = await bob(base, { method: 'REPORT', headers: { ...XML, Depth: '1' }, body: QUERY });
    assert.equal(report.status, 403);
  });
});
