/**
 * RFC 4791 §5.3.2.1 no-uid-conflict for COPY and MOVE (and PUT), RFC 6352 §6.3.2.1 for cards,
 * RFC 9110 §15.3.2 Location on 201, RFC 4918 §9.9.4 409 for a missing destination collection —
 * and a refused COPY or MOVE changes neither collection's sync token (CTag).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, mkcalendar, put, startCalServer, type CalServer } from './caldav-client.js';

const CAL = '/dav/calendars/alice/default/';
const BOOK = '/dav/addressbooks/alice/default/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const dest = (path: string) => new URL(path, s.server.url).toString();
const move = (from: string, to: string, overwrite = 'T') =>
  s.fetch(from, { method: 'MOVE', headers: { Destination: dest(to), Overwrite: overwrite } });
const copy = (from: string, to: string, overwrite = 'T') =>
  s.fetch(from, { method: 'COPY', headers: { Destination: dest(to), Overwrite: overwrite } });

async function token(path: string): Promise<string> {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { Depth: '0', 'Content-Type': 'application/xml' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
  });
  const m = /<D:sync-token>([^<]+)</.exec(await res.text());
  assert.ok(m, 'a sync token');
  return m[1] ?? '';
}

async function refused(res: Response, element: RegExp, status = 403): Promise<void> {
  const body = await res.text();
  assert.equal(res.status, status, body);
  assert.match(body, element, body);
}

const card = (uid: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${uid}\r\nN:${uid};;;;\r\nEND:VCARD\r\n`;

describe('RFC 4791 §5.3.2.1 no-uid-conflict when a write replaces an object', () => {
  it('§5.3.2.1: a PUT may not replace a calendar object with one of another UID', async () => {
    assert.equal(
      (await put(s.fetch, `${CAL}keep.ics`, event('keep-uid', '20240102T100000Z', '20240102T110000Z'))).status,
      201,
    );
    const before = await token(CAL);
    await refused(
      await put(s.fetch, `${CAL}keep.ics`, event('other-uid', '20240102T100000Z', '20240102T110000Z')),
      /<C:no-uid-conflict><D:href>\/dav\/calendars\/alice\/default\/keep\.ics<\/D:href>/,
    );
    assert.match(await (await s.fetch(`${CAL}keep.ics`)).text(), /UID:keep-uid/, 'the stored object is unchanged');
    assert.equal(await token(CAL), before, 'no change recorded');
    assert.equal(
      (await put(s.fetch, `${CAL}keep.ics`, event('keep-uid', '20240102T120000Z', '20240102T130000Z'))).status,
      204,
      'same UID replaces',
    );
  });

  it('§5.3.2.1: MOVE with Overwrite: T onto an object of another UID in the same calendar is refused and changes nothing', async () => {
    await put(s.fetch, `${CAL}m-a.ics`, event('m-a', '20240102T100000Z', '20240102T110000Z'));
    await put(s.fetch, `${CAL}m-b.ics`, event('m-b', '20240103T100000Z', '20240103T110000Z'));
    const before = await token(CAL);
    await refused(
      await move(`${CAL}m-b.ics`, `${CAL}m-a.ics`),
      /<C:no-uid-conflict><D:href>\/dav\/calendars\/alice\/default\/m-a\.ics<\/D:href>/,
    );
    assert.match(await (await s.fetch(`${CAL}m-a.ics`)).text(), /UID:m-a/);
    assert.match(await (await s.fetch(`${CAL}m-b.ics`)).text(), /UID:m-b/, 'the source stays');
    assert.equal(await token(CAL), before, 'the CTag did not change');
  });

  it('§5.3.2.1: COPY and MOVE from another calendar onto an object of another UID are refused; onto the same UID they replace (204)', async () => {
    await mkcalendar(s.fetch, '/dav/calendars/alice/cm-src/', ['VEVENT']);
    const SRC = '/dav/calendars/alice/cm-src/';
    await put(s.fetch, `${SRC}x.ics`, event('cm-x', '20240102T100000Z', '20240102T110000Z'));
    await put(s.fetch, `${CAL}cm-y.ics`, event('cm-y', '20240102T100000Z', '20240102T110000Z'));
    const [beforeSrc, beforeDest] = [await token(SRC), await token(CAL)];
    await refused(await copy(`${SRC}x.ics`, `${CAL}cm-y.ics`), /<C:no-uid-conflict>/);
    await refused(await move(`${SRC}x.ics`, `${CAL}cm-y.ics`), /<C:no-uid-conflict>/);
    assert.deepEqual([await token(SRC), await token(CAL)], [beforeSrc, beforeDest], 'neither CTag changed');
    assert.match(await (await s.fetch(`${CAL}cm-y.ics`)).text(), /UID:cm-y/);
    await put(s.fetch, `${SRC}y.ics`, event('cm-y', '20240105T100000Z', '20240105T110000Z', ['SUMMARY:moved in']));
    const res = await move(`${SRC}y.ics`, `${CAL}cm-y.ics`);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('location'), null);
    assert.match(await (await s.fetch(`${CAL}cm-y.ics`)).text(), /SUMMARY:moved in/);
  });

  it("RFC 6352 §6.3.2.1: the same rule for cards — MOVE within the book and PUT may not change a card's UID", async () => {
    for (const uid of ['card-a', 'card-b']) {
      const res = await s.fetch(`${BOOK}${uid}.vcf`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/vcard' },
        body: card(uid),
      });
      assert.equal(res.status, 201);
    }
    const before = await token(BOOK);
    await refused(
      await move(`${BOOK}card-b.vcf`, `${BOOK}card-a.vcf`),
      /<CR?:no-uid-conflict>|<[A-Z]+:no-uid-conflict>/,
    );
    const put2 = await s.fetch(`${BOOK}card-a.vcf`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: card('card-c'),
    });
    await refused(put2, /no-uid-conflict><D:href>\/dav\/addressbooks\/alice\/default\/card-a\.vcf</);
    assert.equal(await token(BOOK), before);
  });
});

describe('RFC 4918 §9.8 / §9.9 answers', () => {
  it('RFC 9110 §15.3.2: a 201 to COPY and MOVE carries Location of the new resource; a rename within a calendar works', async () => {
    await put(s.fetch, `${CAL}loc.ics`, event('loc-uid', '20240102T100000Z', '20240102T110000Z'));
    const moved = await move(`${CAL}loc.ics`, `${CAL}loc-renamed.ics`);
    assert.equal(moved.status, 201);
    assert.equal(moved.headers.get('location'), `${CAL}loc-renamed.ics`);
    assert.equal((await s.fetch(`${CAL}loc.ics`)).status, 404);
    await mkcalendar(s.fetch, '/dav/calendars/alice/loc-copy/', ['VEVENT']);
    const copied = await copy(`${CAL}loc-renamed.ics`, '/dav/calendars/alice/loc-copy/c.ics');
    assert.equal(copied.status, 201);
    assert.equal(copied.headers.get('location'), '/dav/calendars/alice/loc-copy/c.ics');
    const coll = await copy('/dav/calendars/alice/loc-copy/', '/dav/files/alice/loc-backup/');
    assert.equal(coll.status, 201);
    assert.equal(
      coll.headers.get('location'),
      '/dav/files/alice/loc-backup/',
      "a collection's Location ends in a slash",
    );
  });

  it('RFC 4918 §9.9.4: MOVE into a calendar that does not exist is 409 and changes no CTag; a missing source is 404', async () => {
    await put(s.fetch, `${CAL}nowhere.ics`, event('nowhere-uid', '20240102T100000Z', '20240102T110000Z'));
    const before = await token(CAL);
    const res = await move(`${CAL}nowhere.ics`, '/dav/calendars/alice/no-such-calendar/nowhere.ics');
    assert.equal(res.status, 409, await res.text());
    assert.equal(await token(CAL), before);
    assert.equal((await s.fetch(`${CAL}nowhere.ics`)).status, 200, 'the source stays');
    assert.equal((await move(`${CAL}no-such.ics`, `${CAL}x.ics`)).status, 404);
  });
});
