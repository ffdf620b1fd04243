/**
 * Sharing with a group (issue #17 items 1, 3; caldav-sharing §5.3.2 CS:share and
 * draft-pot-webdav-resource-sharing DAV:share-resource, a sharee named by its group principal
 * URL). Every member gets their own instance at once (no invitation to answer, as Nextcloud and
 * sabre/dav's group shares), with the group's access; CS:invite shows the group as one sharee. A
 * member added later gets it, a member removed or a group deleted loses it on the next request
 * with nothing leaking through GET, multiget, sync-collection or free-busy; a member's access is
 * the higher of their own share's and their groups'.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addGroup, deleteGroup, setGroupMember } from '../../../src/domain/accounts/groups.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { propfind, post, shareBody, unshareBody } from './sharing-steps.js';

const WORK = '/dav/calendars/alice/work/';
const BOOK = '/dav/addressbooks/alice/team-book/';
const TEAM = '/dav/principals/groups/team/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const EVENT =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:g1\r\nDTSTAMP:20270101T000000Z\r\n' +
  'DTSTART:20270115T100000Z\r\nDTEND:20270115T110000Z\r\nSUMMARY:Team sync\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);

/** The instances of shared collections in a user's calendar home (Depth 1, what DAVx5 and Thunderbird discover). */
async function instancesOf(user: string, home = `/dav/calendars/${user}/`): Promise<{ href: string; xml: string }[]> {
  const listing = await propfind(
    server.url,
    user,
    home,
    '<D:resourcetype/><D:current-user-privilege-set/><D:displayname/>',
    '1',
  );
  return listing
    .split('</D:response>')
    .filter((r) => /<CS:shared\/>/.test(r))
    .map((r) => ({ href: /<D:href>([^<]+)<\/D:href>/.exec(r)?.[1] ?? '', xml: r }));
}

function shareResourceBody(href: string, access: 'read' | 'read-write' | 'no-access'): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><D:share-resource xmlns:D="DAV:"><D:sharee>' +
    `<D:href>${href}</D:href><D:share-access><D:${access}/></D:share-access></D:sharee></D:share-resource>`
  );
}

const multiget = (href: string): string =>
  '<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
  `<D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${href}</D:href></C:calendar-multiget>`;

const SYNC = (token: string) =>
  `<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token>` +
  '<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';

async function homeSyncToken(user: string): Promise<string> {
  const res = await as(user)(`/dav/calendars/${user}/`, {
    method: 'REPORT',
    headers: { ...XML, Depth: '0' },
    body: SYNC(''),
  });
  const text = await res.text();
  return /<D:sync-token>([^<]+)<\/D:sync-token>/.exec(text)?.[1] ?? '';
}

before(async () => {
  server = await startTestServer({
    users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', dave: 'dave-pw', erin: 'erin-pw' },
  });
  await addGroup(server.store, 'team');
  for (const m of ['bob', 'carol', 'alice']) await setGroupMember(server.store, 'team', m, true);
  assert.equal((await as('alice')(WORK, { method: 'MKCALENDAR' })).status, 201);
  assert.equal((await as('alice')(`${WORK}g1.ics`, { method: 'PUT', headers: ICS, body: EVENT })).status, 201);
});
after(() => server.close());

describe('issue #17: sharing a calendar or address book with a group', () => {
  it('CS:share naming the group: every member has an instance at once, read only; the owner none', async () => {
    assert.equal((await post(server.url, 'alice', WORK, shareBody(TEAM, 'read'))).status, 200);
    for (const member of ['bob', 'carol']) {
      const found = await instancesOf(member);
      assert.equal(found.length, 1, `${member} sees one shared calendar`);
      assert.match(found[0]!.xml, /<D:read\/>/);
      assert.doesNotMatch(found[0]!.xml, /<D:write-content\/>/);
      const got = await as(member)(`${found[0]!.href}g1.ics`);
      assert.equal(got.status, 200);
      assert.match(await got.text(), /Team sync/);
      const put = await as(member)(`${found[0]!.href}g1.ics`, { method: 'PUT', headers: ICS, body: EVENT });
      assert.equal(put.status, 403, 'read-only through the group');
    }
    assert.equal((await instancesOf('alice')).length, 0, 'the owner, though in the group, is no sharee');
    assert.equal((await instancesOf('dave')).length, 0);
  });

  it('CS:invite shows the group as one sharee, not its members', async () => {
    const xml = await propfind(server.url, 'alice', WORK, '<CS:invite/><D:resourcetype/>');
    assert.match(xml, /<CS:shared-owner\/>/);
    const users = xml.match(/<CS:user>/g) ?? [];
    assert.equal(users.length, 1);
    assert.match(
      xml,
      /principals\/groups\/team\/<\/D:href><CS:common-name>team<\/CS:common-name><CS:invite-accepted\/><CS:access><CS:read\/>/,
    );
    assert.doesNotMatch(xml, /bob|carol/);
  });

  it('a member added later gets the instance; a member removed loses it on the next request, with nothing leaking', async () => {
    await setGroupMember(server.store, 'team', 'dave', true);
    const [daves] = await instancesOf('dave');
    assert.ok(daves, 'dave sees the shared calendar');
    assert.equal((await as('dave')(`${daves.href}g1.ics`)).status, 200);

    const [carols] = await instancesOf('carol');
    assert.ok(carols);
    const token = await homeSyncToken('carol');
    await setGroupMember(server.store, 'team', 'carol', false);
    assert.equal((await instancesOf('carol')).length, 0);
    assert.notEqual((await as('carol')(`${carols.href}g1.ics`)).status, 200, 'GET through the old instance');
    assert.equal((await as('carol')(`${WORK}g1.ics`)).status, 403, 'GET by the owner’s path');
    const mg = await as('carol')(WORK, {
      method: 'REPORT',
      headers: { ...XML, Depth: '1' },
      body: multiget(`${WORK}g1.ics`),
    });
    assert.doesNotMatch(await mg.text(), /Team sync/, 'multiget');
    const sync = await as('carol')(WORK, { method: 'REPORT', headers: { ...XML, Depth: '0' }, body: SYNC('') });
    assert.equal(sync.status, 403, 'sync-collection of the shared calendar');
    const fb = await as('carol')(WORK, {
      method: 'REPORT',
      headers: { ...XML, Depth: '1' },
      body: '<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20270101T000000Z" end="20270201T000000Z"/></C:free-busy-query>',
    });
    assert.equal(fb.status, 403, 'free-busy');
    // Her home's feed says the instance went (RFC 6578 §3.5.1), so her client drops it.
    const changes = await as('carol')('/dav/calendars/carol/', {
      method: 'REPORT',
      headers: { ...XML, Depth: '0' },
      body: SYNC(token),
    });
    const text = await changes.text();
    assert.match(text, new RegExp(`${carols.href.replace(/\/$/, '')}/?</D:href><D:status>HTTP/1.1 404 Not Found`));
  });

  it('a member’s access is the higher of their own share and the group’s; unsharing the group leaves their own', async () => {
    // Bob named directly with read-write; the group gives read.
    assert.equal(
      (await post(server.url, 'alice', WORK, shareBody('mailto:bob@example.com', 'read-write'))).status,
      200,
    );
    const [bobs] = await instancesOf('bob');
    assert.ok(bobs);
    assert.match(bobs.xml, /<D:write-content\/>/);
    const edited = EVENT.replace('Team sync', 'Team sync (moved)');
    assert.equal((await as('bob')(`${bobs.href}g1.ics`, { method: 'PUT', headers: ICS, body: edited })).status, 204);
    // CS:invite names bob with the access alice gave him, beside the group.
    const invite = await propfind(server.url, 'alice', WORK, '<CS:invite/>');
    assert.equal((invite.match(/<CS:user>/g) ?? []).length, 2);
    assert.equal((await post(server.url, 'alice', WORK, unshareBody(TEAM))).status, 200);
    const [still] = await instancesOf('bob');
    assert.ok(still, 'bob keeps his own share');
    assert.equal(still.href, bobs.href, 'the same instance');
    assert.match(still.xml, /<D:write-content\/>/);
    assert.equal((await instancesOf('dave')).length, 0, 'dave had it through the group only');
    assert.equal((await as('dave')(`${WORK}g1.ics`)).status, 403);
  });

  it('removing a member’s own share leaves what the group gives', async () => {
    assert.equal((await post(server.url, 'alice', WORK, shareBody(TEAM, 'read'))).status, 200);
    assert.equal((await post(server.url, 'alice', WORK, unshareBody('mailto:bob@example.com'))).status, 200);
    const [bobs] = await instancesOf('bob');
    assert.ok(bobs, 'bob still has it through the group');
    assert.doesNotMatch(bobs.xml, /<D:write-content\/>/, 'read only now');
  });

  it('an address book shared with a group by DAV:share-resource, read-write; deleting the group revokes', async () => {
    assert.equal((await as('alice')(BOOK, { method: 'MKCOL', headers: XML, body: MKCOL_BOOK })).status, 201);
    assert.equal((await post(server.url, 'alice', BOOK, shareResourceBody(TEAM, 'read-write'))).status, 200);
    const [books] = await instancesOf('dave', '/dav/addressbooks/dave/');
    assert.ok(books, 'dave sees the shared address book');
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Zed\r\nN:Zed;;;;\r\nEND:VCARD\r\n';
    const put = await as('dave')(`${books.href}c1.vcf`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/vcard' },
      body: card,
    });
    assert.equal(put.status, 201, await put.text());
    assert.equal((await as('alice')(`${BOOK}c1.vcf`)).status, 200, 'the card is in alice’s address book');
    await deleteGroup(server.store, 'team');
    assert.equal((await instancesOf('dave', '/dav/addressbooks/dave/')).length, 0);
    assert.equal((await as('dave')(`${BOOK}c1.vcf`)).status, 403);
    assert.equal((await instancesOf('erin')).length, 0);
    const invite = await propfind(server.url, 'alice', BOOK, '<CS:invite/>');
    assert.doesNotMatch(invite, /groups\/team/);
  });
});

const MKCOL_BOOK =
  '<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>' +
  '<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Team</D:displayname></D:prop></D:set></D:mkcol>';
