/**
 * RFC 4918 §7.3 / §9.10.4: a LOCK of an unmapped URL creates an empty resource. It is placed by
 * the domain's write step like any write, so a calendar or address book refuses the empty body as
 * invalid data (RFC 4791 §4.2, §5.3.2.1; RFC 6352 §6.3.2.1) and a home refuses an object, while a
 * files collection takes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCalServer, type CalServer } from '../rfc4791/caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const lockBody =
  '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>t</D:owner></D:lockinfo>';
const lock = (path: string) =>
  s.fetch(path, {
    method: 'LOCK',
    headers: { 'Content-Type': 'application/xml', Timeout: 'Second-60' },
    body: lockBody,
  });

describe('RFC 4918 §7.3 LOCK of an unmapped URL', () => {
  it('§9.10.4: in a files collection it creates an empty resource (201) with the lock', async () => {
    const res = await lock('/dav/files/alice/locked.txt');
    assert.equal(res.status, 201, await res.text());
    const got = await s.fetch('/dav/files/alice/locked.txt');
    assert.equal(got.status, 200);
    assert.equal((await got.arrayBuffer()).byteLength, 0);
  });

  it('RFC 4791 §5.3.2.1: in a calendar the empty body is refused as valid-calendar-data and nothing is stored or locked', async () => {
    const res = await lock('/dav/calendars/alice/default/locked.ics');
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<C:valid-calendar-data\/>/);
    assert.equal((await s.fetch('/dav/calendars/alice/default/locked.ics')).status, 404);
  });

  it('RFC 6352 §6.3.2.1: in an address book likewise; in a calendar home the location is refused', async () => {
    const card = await lock('/dav/addressbooks/alice/default/locked.vcf');
    assert.equal(card.status, 403);
    assert.match(await card.text(), /<CR:valid-address-data\/>/);
    const home = await lock('/dav/calendars/alice/locked.ics');
    assert.equal(home.status, 403);
    assert.match(await home.text(), /<C:calendar-collection-location-ok\/>/);
  });
});
