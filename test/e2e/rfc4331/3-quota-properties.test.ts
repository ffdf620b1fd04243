/**
 * RFC 4331 §3 DAV:quota-available-bytes and §4 DAV:quota-used-bytes: on every collection of a
 * user (homes included), counting bodies and dead properties of everything the user owns, moved
 * by each write in its own transaction; protected (§3, §4: 403 cannot-modify-protected-property).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setUserQuota } from '../../../src/domain/accounts/admin.js';
import { setDefaultQuota } from '../../../src/domain/quota/quota.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { quotaProps } from './quota-client.js';

let s: TestServer;
let alice: ReturnType<typeof davFetch>;
before(async () => {
  s = await startTestServer();
  alice = davFetch(s.url);
});
after(() => s.close());

const ICS = (uid: string, summary: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('RFC 4331 §3-§4 quota properties', () => {
  it('§4: every collection of a user reports the same used bytes; without a quota §3 is not defined (404)', async () => {
    const home = await quotaProps(alice, '/dav/calendars/alice/');
    const calendar = await quotaProps(alice, '/dav/calendars/alice/default/');
    const files = await quotaProps(alice, '/dav/files/alice/');
    assert.ok(home.used !== null && home.used > 0, 'the default collections have dead properties');
    assert.equal(calendar.used, home.used);
    assert.equal(files.used, home.used);
    assert.equal(home.available, null);
  });

  it('§4: a PUT adds its body, a replacement the difference, a DELETE frees it; a dead property counts its XML', async () => {
    const start = (await quotaProps(alice, '/dav/calendars/alice/default/')).used ?? 0;
    const body = ICS('q-1', 'short');
    assert.equal(
      (
        await alice('/dav/calendars/alice/default/q-1.ics', {
          method: 'PUT',
          body,
          headers: { 'Content-Type': 'text/calendar' },
        })
      ).status,
      201,
    );
    assert.equal((await quotaProps(alice, '/dav/calendars/alice/')).used, start + Buffer.byteLength(body));
    const longer = ICS('q-1', 'a much longer summary');
    await alice('/dav/calendars/alice/default/q-1.ics', {
      method: 'PUT',
      body: longer,
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal((await quotaProps(alice, '/dav/files/alice/')).used, start + Buffer.byteLength(longer));
    const prop = '<X:note xmlns:X="urn:x-test">ünïcode</X:note>';
    const patch = await alice('/dav/calendars/alice/default/q-1.ics', {
      method: 'PROPPATCH',
      headers: { 'Content-Type': 'application/xml' },
      body: `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>${prop}</D:prop></D:set></D:propertyupdate>`,
    });
    assert.equal(patch.status, 207);
    const withProp = (await quotaProps(alice, '/dav/calendars/alice/')).used ?? 0;
    assert.ok(withProp > start + Buffer.byteLength(longer), 'the dead property is counted');
    assert.equal((await alice('/dav/calendars/alice/default/q-1.ics', { method: 'DELETE' })).status, 204);
    assert.equal((await quotaProps(alice, '/dav/calendars/alice/')).used, start, 'body and property freed');
  });

  it("§3: with a quota, available = quota − used; a user's own quota wins over the server default", async () => {
    const used = (await quotaProps(alice, '/dav/calendars/alice/')).used ?? 0;
    await s.store.transaction(['settings'], (tx) => setDefaultQuota(tx, used + 5000));
    assert.equal((await quotaProps(alice, '/dav/calendars/alice/default/')).available, 5000);
    await setUserQuota(s.store, 'alice', used + 100);
    assert.equal((await quotaProps(alice, '/dav/addressbooks/alice/')).available, 100);
    await setUserQuota(s.store, 'alice', 1);
    assert.equal((await quotaProps(alice, '/dav/addressbooks/alice/')).available, 0, 'never below 0');
    await setUserQuota(s.store, 'alice', null);
    await s.store.transaction(['settings'], (tx) => setDefaultQuota(tx, null));
    assert.equal((await quotaProps(alice, '/dav/calendars/alice/')).available, null);
  });

  it('§3-§4: both are protected: PROPPATCH is 403 cannot-modify-protected-property', async () => {
    const res = await alice('/dav/calendars/alice/default/', {
      method: 'PROPPATCH',
      headers: { 'Content-Type': 'application/xml' },
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:quota-used-bytes>0</D:quota-used-bytes></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    assert.match(text, /403/);
    assert.match(text, /cannot-modify-protected-property/);
  });
});
