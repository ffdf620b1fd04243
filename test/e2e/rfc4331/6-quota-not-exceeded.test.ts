/**
 * RFC 4331 §6: a request that would exceed the user's quota fails with 507 Insufficient Storage
 * and DAV:quota-not-exceeded, on every write path (PUT of objects and files, COPY into a calendar
 * and of a plain tree, extended MKCOL, PROPPATCH, the web app's cookie-authenticated writes,
 * `almanac import`), and what was stored is unchanged. Writes that do not grow the usage (a
 * smaller replacement, a DELETE) pass over quota (§3). Scheduling deliveries into another user's
 * inbox are never refused by the recipient's quota (docs/ARCHITECTURE.md "Admin and quotas").
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setUserQuota } from '../../../src/domain/accounts/admin.js';
import { importBatch } from '../../../src/cli/import-object.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { login } from '../accounts/app-api.js';
import { invitation, inboxBodies } from '../rfc6638/scheduling-server.js';
import { quotaProps } from './quota-client.js';

let s: TestServer;
let alice: ReturnType<typeof davFetch>;
let bob: ReturnType<typeof davFetch>;
before(async () => {
  s = await startTestServer();
  alice = davFetch(s.url, 'alice');
  bob = davFetch(s.url, 'bob');
});
after(() => s.close());

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const CAL = { 'Content-Type': 'text/calendar; charset=utf-8' };
const event = (uid: string, summary: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

async function used(user = 'alice'): Promise<number> {
  return (await s.store.getUserByName(user))?.quotaUsed ?? -1;
}

/** Give alice exactly `room` bytes more than she uses now. */
async function room(bytes: number, user = 'alice'): Promise<void> {
  await setUserQuota(s.store, user, (await used(user)) + bytes);
}

async function refused(res: Response): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 507, text);
  assert.match(text, /<D:quota-not-exceeded\/>/);
}

beforeEach(async () => {
  await setUserQuota(s.store, 'alice', null);
  await setUserQuota(s.store, 'bob', null);
});

describe('RFC 4331 §6 quota-not-exceeded', () => {
  it('PUT of a new calendar object: 507, nothing stored, the sync token unchanged', async () => {
    const token = (await s.store.getResource('/calendars/alice/default'))?.etag;
    await room(10);
    await refused(
      await alice('/dav/calendars/alice/default/big.ics', { method: 'PUT', headers: CAL, body: event('big', 'x') }),
    );
    assert.equal((await alice('/dav/calendars/alice/default/big.ics')).status, 404);
    assert.equal((await s.store.getResource('/calendars/alice/default'))?.etag, token);
  });

  it('PUT replacing with more bytes: 507 and the old body stays; an equal or smaller one passes at 0 available (§3)', async () => {
    const first = event('r-1', 'abc');
    assert.equal(
      (await alice('/dav/calendars/alice/default/r-1.ics', { method: 'PUT', headers: CAL, body: first })).status,
      201,
    );
    await room(0);
    assert.equal((await quotaProps(alice, '/dav/calendars/alice/')).available, 0);
    await refused(
      await alice('/dav/calendars/alice/default/r-1.ics', {
        method: 'PUT',
        headers: CAL,
        body: event('r-1', 'abcdef'),
      }),
    );
    assert.equal(await (await alice('/dav/calendars/alice/default/r-1.ics')).text(), first);
    assert.equal(
      (await alice('/dav/calendars/alice/default/r-1.ics', { method: 'PUT', headers: CAL, body: event('r-1', 'xyz') }))
        .status,
      204,
    );
    assert.equal(
      (await alice('/dav/calendars/alice/default/r-1.ics', { method: 'DELETE' })).status,
      204,
      'a delete always passes',
    );
  });

  it('PUT of a file, COPY of a file tree and COPY into a calendar: 507, the destinations absent', async () => {
    const text = 'x'.repeat(400);
    assert.equal((await alice('/dav/files/alice/a.txt', { method: 'PUT', body: text })).status, 201);
    assert.equal((await alice('/dav/files/alice/dir/', { method: 'MKCOL' })).status, 201);
    assert.equal((await alice('/dav/files/alice/dir/b.txt', { method: 'PUT', body: text })).status, 201);
    assert.equal(
      (
        await alice('/dav/calendars/alice/default/c-1.ics', {
          method: 'PUT',
          headers: CAL,
          body: event('c-1', 'copy me'),
        })
      ).status,
      201,
    );
    await room(100);
    await refused(await alice('/dav/files/alice/new.txt', { method: 'PUT', body: text }));
    await refused(
      await alice('/dav/files/alice/dir/', {
        method: 'COPY',
        headers: { Destination: `${s.url}/dav/files/alice/dir2/` },
      }),
    );
    assert.equal((await alice('/dav/files/alice/dir2/', { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404);
    const mk = await alice('/dav/calendars/alice/other/', {
      method: 'MKCALENDAR',
    });
    assert.equal(mk.status, 201);
    await room(50);
    await refused(
      await alice('/dav/calendars/alice/default/c-1.ics', {
        method: 'COPY',
        headers: { Destination: `${s.url}/dav/calendars/alice/other/c-1.ics` },
      }),
    );
    assert.equal((await alice('/dav/calendars/alice/other/c-1.ics')).status, 404);
  });

  it('extended MKCOL and PROPPATCH whose properties do not fit: 507 and nothing changed', async () => {
    await room(100);
    const big = 'n'.repeat(300);
    const mkcol = await alice('/dav/files/alice/named/', {
      method: 'MKCOL',
      headers: XML,
      body: `<?xml version="1.0"?><D:mkcol xmlns:D="DAV:"><D:set><D:prop><D:resourcetype><D:collection/></D:resourcetype><D:displayname>${big}</D:displayname></D:prop></D:set></D:mkcol>`,
    });
    await refused(mkcol);
    assert.equal((await alice('/dav/files/alice/named/', { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404);
    const before = await used();
    await refused(
      await alice('/dav/calendars/alice/default/', {
        method: 'PROPPATCH',
        headers: XML,
        body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>${big}</D:displayname></D:prop></D:set></D:propertyupdate>`,
      }),
    );
    assert.equal(await used(), before);
    const name = await alice('/dav/calendars/alice/default/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '0' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>',
    });
    assert.doesNotMatch(await name.text(), /nnnn/);
  });

  it("the web app's writes (session cookie and CSRF header) meet the same quota", async () => {
    const session = await login(s.url, 'alice', 'alice-pw');
    await room(10);
    const res = await fetch(`${s.url}/dav/calendars/alice/default/web.ics`, {
      method: 'PUT',
      headers: { ...session, ...CAL },
      body: event('web', 'from the browser'),
    });
    await refused(res);
  });

  it('almanac import: the items that do not fit are skipped as quota-exceeded, the others stored', async () => {
    const owner = (await s.store.getUserByName('alice'))!;
    const small = event('imp-1', 'a');
    await room(Buffer.byteLength(small) + 10);
    const items = ['imp-1', 'imp-2'].map((uid) => ({
      path: `/calendars/alice/default/${uid}.ics`,
      body: new TextEncoder().encode(event(uid, 'a')),
      contentType: 'text/calendar',
    }));
    const outcome = await importBatch(s.store, '/calendars/alice', { ...owner, grants: [] }, items);
    assert.deepEqual(
      outcome.map((r) => r?.code ?? null),
      [null, 'quota-exceeded'],
    );
    assert.equal((await alice('/dav/calendars/alice/default/imp-1.ics')).status, 200);
    assert.equal((await alice('/dav/calendars/alice/default/imp-2.ics')).status, 404);
  });

  it("a scheduling delivery is not refused by the recipient's quota (a stranger cannot make it bounce)", async () => {
    await room(0, 'bob');
    const before = (await inboxBodies(s.store, 'bob')).length;
    const put = await alice('/dav/calendars/alice/default/meet.ics', {
      method: 'PUT',
      headers: CAL,
      body: invitation('meet-quota', ['bob@example.com']),
    });
    assert.equal(put.status, 201, await put.text());
    assert.equal((await inboxBodies(s.store, 'bob')).length, before + 1);
    // bob himself, over quota now, still cannot grow his data.
    await refused(
      await bob('/dav/calendars/bob/default/own.ics', { method: 'PUT', headers: CAL, body: event('own', 'b') }),
    );
  });
});
