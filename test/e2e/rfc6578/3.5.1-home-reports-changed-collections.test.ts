/**
 * RFC 6578 §3.5.1 on a calendar home (and an address-book home): "Collection member URLs MUST be
 * returned as changed if ... the entity tag associated with that resource changes". A calendar's
 * getetag moves with every change of its members, so a sync-collection (sync-level 1) on the home
 * reports it — as CalendarServer does and iOS/macOS rely on to find which calendars to sync. A
 * calendar renamed or recoloured is reported too (allowed by §3.5.1: "MAY"). The home's CTag and
 * sync token move with any change below it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, mkcalendar, put, report, startCalServer, XML, type CalServer } from '../rfc4791/caldav-client.js';

const HOME = '/dav/calendars/alice/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const sync = (token: string) =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
const tokenOf = (text: string): string =>
  /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';

/** href → getetag (or the status of a response without propstat). */
function answered(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/<D:response><D:href>([^<]+)<\/D:href>(.*?)<\/D:response>/gs)) {
    const etag =
      /<D:getetag>([^<]*)</.exec(m[2] ?? '')?.[1] ?? /<D:status>HTTP\/1\.1 (\d+)/.exec(m[2] ?? '')?.[1] ?? '?';
    out.set(m[1] ?? '', etag);
  }
  return out;
}

async function homeSync(home: string, token: string): Promise<{ token: string; changed: Map<string, string> }> {
  const r = await report(s.fetch, home, sync(token), null);
  assert.equal(r.status, 207, r.text);
  return { token: tokenOf(r.text), changed: answered(r.text) };
}

async function getetagOf(path: string): Promise<string> {
  const res = await s.fetch(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  });
  return /<D:getetag>([^<]+)</.exec(await res.text())?.[1] ?? '';
}

describe('RFC 6578 §3.5.1 sync-collection on a home', () => {
  it('§3.5.1: a calendar whose member changed is reported with its new getetag; an untouched one is not', async () => {
    await mkcalendar(s.fetch, `${HOME}work/`, ['VEVENT']);
    await mkcalendar(s.fetch, `${HOME}quiet/`, ['VEVENT']);
    const initial = await homeSync(HOME, '');
    assert.ok(
      initial.changed.has(`${HOME}work/`) && initial.changed.has(`${HOME}quiet/`),
      'the initial sync lists every calendar',
    );

    assert.equal(
      (await put(s.fetch, `${HOME}work/a.ics`, event('home-a', '20240102T100000Z', '20240102T110000Z'))).status,
      201,
    );
    const next = await homeSync(HOME, initial.token);
    assert.notEqual(next.token, initial.token, 'the home token moved');
    assert.deepEqual([...next.changed.keys()], [`${HOME}work/`]);
    assert.equal(
      next.changed.get(`${HOME}work/`),
      await getetagOf(`${HOME}work/`),
      'reported with its current getetag',
    );

    assert.equal((await s.fetch(`${HOME}work/a.ics`, { method: 'DELETE' })).status, 204);
    const afterDelete = await homeSync(HOME, next.token);
    assert.deepEqual([...afterDelete.changed.keys()], [`${HOME}work/`], 'a member removed changes the calendar too');
    assert.deepEqual(
      [...(await homeSync(HOME, afterDelete.token)).changed.keys()],
      [],
      'nothing new: nothing reported',
    );
  });

  it('§3.5.1 (MAY): a calendar renamed by PROPPATCH is reported; a deleted calendar is reported removed (§3.5.2)', async () => {
    await mkcalendar(s.fetch, `${HOME}renamed/`, ['VEVENT']);
    const start = await homeSync(HOME, '');
    const patch = await s.fetch(`${HOME}renamed/`, {
      method: 'PROPPATCH',
      headers: XML,
      body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>New name</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patch.status, 207);
    const renamed = await homeSync(HOME, start.token);
    assert.deepEqual([...renamed.changed.keys()], [`${HOME}renamed/`]);
    assert.equal((await s.fetch(`${HOME}renamed/`, { method: 'DELETE' })).status, 204);
    const gone = await homeSync(HOME, renamed.token);
    assert.equal(gone.changed.get(`${HOME}renamed/`), '404');
  });

  it('RFC 6352 + RFC 6578 §3.5.1: the same on an address-book home', async () => {
    const BOOKS = '/dav/addressbooks/alice/';
    const start = await homeSync(BOOKS, '');
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:home-card\r\nFN:Home Card\r\nN:Card;Home;;;\r\nEND:VCARD\r\n';
    assert.equal(
      (
        await s.fetch(`${BOOKS}default/home-card.vcf`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/vcard' },
          body: card,
        })
      ).status,
      201,
    );
    const next = await homeSync(BOOKS, start.token);
    assert.deepEqual([...next.changed.keys()], [`${BOOKS}default/`]);
  });
});
