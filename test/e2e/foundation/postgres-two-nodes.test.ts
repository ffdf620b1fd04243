import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventBody } from '../../helpers/event-body.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, type TestServer } from '../../helpers/server.js';
import { startTwoPostgresNodes, type TwoNodes } from '../../helpers/two-nodes.js';

const LOCKINFO =
  '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>node A</D:owner></D:lockinfo>';

describe('two Almanac nodes on one PostgreSQL database behave as one server', async () => {
  const skip = await postgresSkipReason();
  let nodes: TwoNodes | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    if (skip) return;
    nodes = await startTwoPostgresNodes();
    ({ a, b } = nodes);
  });
  after(async () => nodes?.close());

  it('a user created through node A logs in on node B', { skip }, async () => {
    const res = await davFetch(b.url, 'alice')('/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(res.status, 207);
  });

  it('a file PUT on A is read back from B with the same ETag', { skip }, async () => {
    const put = await davFetch(a.url, 'alice')('/dav/files/alice/shared.txt', { method: 'PUT', body: 'from A' });
    assert.equal(put.status, 201);
    const got = await davFetch(b.url, 'alice')('/dav/files/alice/shared.txt');
    assert.equal(await got.text(), 'from A');
    assert.equal(got.headers.get('etag'), put.headers.get('etag'));
  });

  it('a lock taken on A is enforced on B, and its token works on B (RFC 4918 §7)', { skip }, async () => {
    const lock = await davFetch(a.url, 'alice')('/dav/files/alice/shared.txt', {
      method: 'LOCK',
      headers: { Timeout: 'Second-600' },
      body: LOCKINFO,
    });
    assert.equal(lock.status, 200);
    const token = /<([^>]+)>/.exec(lock.headers.get('lock-token') ?? '')?.[1] ?? '';
    assert.match(token, /^urn:uuid:/);
    const blocked = await davFetch(b.url, 'alice')('/dav/files/alice/shared.txt', {
      method: 'PUT',
      body: 'from B without token',
    });
    assert.equal(blocked.status, 423);
    const discover = await (
      await davFetch(b.url, 'alice')('/dav/files/alice/shared.txt', {
        method: 'PROPFIND',
        headers: { Depth: '0' },
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>',
      })
    ).text();
    assert.ok(discover.includes(token), 'node B reports the lock made on node A');
    const withToken = await davFetch(b.url, 'alice')('/dav/files/alice/shared.txt', {
      method: 'PUT',
      headers: { If: `(<${token}>)` },
      body: 'from B with token',
    });
    assert.equal(withToken.status, 204);
    const unlock = await davFetch(b.url, 'alice')('/dav/files/alice/shared.txt', {
      method: 'UNLOCK',
      headers: { 'Lock-Token': `<${token}>` },
    });
    assert.equal(unlock.status, 204);
    assert.equal(
      (await davFetch(a.url, 'alice')('/dav/files/alice/shared.txt', { method: 'PUT', body: 'A again' })).status,
      204,
    );
  });

  it(
    'concurrent writes through both nodes get distinct, gap-free sync positions (one change feed)',
    { skip },
    async () => {
      const before = await (
        await davFetch(a.url, 'alice')('/dav/files/alice/', {
          method: 'PROPFIND',
          headers: { Depth: '0' },
          body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
        })
      ).text();
      const startSeq = Number(/-(\d+)<\/D:sync-token>/.exec(before)?.[1]);
      const writes = Array.from({ length: 20 }, (_, i) =>
        davFetch(i % 2 === 0 ? a.url : b.url, 'alice')(`/dav/files/alice/c${i}.txt`, { method: 'PUT', body: `n${i}` }),
      );
      for (const r of await Promise.all(writes)) assert.equal(r.status, 201);
      const after = await (
        await davFetch(b.url, 'alice')('/dav/files/alice/', {
          method: 'PROPFIND',
          headers: { Depth: '0' },
          body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
        })
      ).text();
      assert.equal(Number(/-(\d+)<\/D:sync-token>/.exec(after)?.[1]), startSeq + 20);
    },
  );
  it(
    'a report answer node A keeps is not served after node B writes to the collection (response cache state is read from the store)',
    { skip },
    async () => {
      const CAL = '/dav/calendars/alice/default/';
      const ics = (uid: string): Uint8Array => eventBody(uid, ['DTSTART:20240110T100000Z', 'DTEND:20240110T110000Z']);
      const body =
        '<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>' +
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/>' +
        '</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>';
      const queryOnA = async (): Promise<string> =>
        (await davFetch(a.url, 'alice')(CAL, { method: 'REPORT', headers: { Depth: '1' }, body })).text();
      assert.equal(
        (
          await davFetch(a.url, 'alice')(`${CAL}one.ics`, {
            method: 'PUT',
            headers: { 'Content-Type': 'text/calendar' },
            body: ics('one'),
          })
        ).status,
        201,
      );
      assert.match(await queryOnA(), /one\.ics/);
      const hits = a.cacheStats().answers!.hits;
      assert.doesNotMatch(await queryOnA(), /two\.ics/);
      assert.equal(a.cacheStats().answers!.hits, hits + 1, 'node A answered the repeat from its cache');
      assert.equal(
        (
          await davFetch(b.url, 'alice')(`${CAL}two.ics`, {
            method: 'PUT',
            headers: { 'Content-Type': 'text/calendar' },
            body: ics('two'),
          })
        ).status,
        201,
      );
      const fresh = await queryOnA();
      assert.match(fresh, /one\.ics/);
      assert.match(fresh, /two\.ics/, "node B's write is in node A's next answer");
    },
  );
});
