/**
 * RFC 4791 §4.2 / RFC 6352 §5.1: calendar object resources live in calendar collections, address
 * object resources in address books. A PUT (or COPY/MOVE) of an object straight into a calendar or
 * address-book home would store it where no client shows it: 403 with the location precondition
 * (RFC 4791 §5.3.1 calendar-collection-location-ok, RFC 6352 §6.3.2.1
 * addressbook-collection-location-ok — the elements Cyrus answers with as well). A PUT whose
 * Request-URI is an existing collection stays 405 with Allow (RFC 4918 §9.7.2 names that answer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, put, startCalServer, type CalServer } from './caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

async function refused(res: Response, element: RegExp): Promise<void> {
  const body = await res.text();
  assert.equal(res.status, 403, body);
  assert.match(body, element, body);
}

const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:home-card\r\nFN:Home\r\nN:Home;;;;\r\nEND:VCARD\r\n';

describe('RFC 4791 §4.2 / RFC 6352 §5.1 objects live in calendars and address books', () => {
  it('§5.3.1 calendar-collection-location-ok: PUT of an event into the calendar home is refused and stores nothing', async () => {
    await refused(
      await put(s.fetch, '/dav/calendars/alice/stray.ics', event('stray', '20240102T100000Z', '20240102T110000Z')),
      /<D:error[^>]*><C:calendar-collection-location-ok\/><\/D:error>/,
    );
    assert.equal((await s.fetch('/dav/calendars/alice/stray.ics')).status, 404);
  });

  it('RFC 6352 §6.3.2.1 addressbook-collection-location-ok: PUT of a card into the address-book home is refused', async () => {
    await refused(
      await s.fetch('/dav/addressbooks/alice/stray.vcf', {
        method: 'PUT',
        headers: { 'Content-Type': 'text/vcard' },
        body: card,
      }),
      /<CR:addressbook-collection-location-ok\/>/,
    );
    assert.equal((await s.fetch('/dav/addressbooks/alice/stray.vcf')).status, 404);
  });

  it('COPY and MOVE of a file into a calendar home are refused the same way; the file stays', async () => {
    assert.equal(
      (await s.fetch('/dav/files/alice/loose.ics', { method: 'PUT', body: 'anything' })).status,
      201,
      'the files home takes files',
    );
    const dest = new URL('/dav/calendars/alice/loose.ics', s.server.url).toString();
    await refused(
      await s.fetch('/dav/files/alice/loose.ics', { method: 'MOVE', headers: { Destination: dest } }),
      /<C:calendar-collection-location-ok\/>/,
    );
    await refused(
      await s.fetch('/dav/files/alice/loose.ics', { method: 'COPY', headers: { Destination: dest } }),
      /<C:calendar-collection-location-ok\/>/,
    );
    assert.equal((await s.fetch('/dav/files/alice/loose.ics')).status, 200);
  });

  it('RFC 4918 §9.7.2: PUT to an existing collection (a home, a calendar) is 405 with an Allow that lacks PUT', async () => {
    for (const path of ['/dav/calendars/alice/', '/dav/calendars/alice/default/', '/dav/addressbooks/alice/default/']) {
      const res = await put(s.fetch, path, event('on-coll', '20240102T100000Z', '20240102T110000Z'));
      assert.equal(res.status, 405, path);
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
      assert.ok(allow.includes('PROPFIND') && !allow.includes('PUT'), allow.join());
    }
  });
});
