/**
 * draft-daboo-carddav-directory-gateway §3-§6: the server-wide directory address book. Every user
 * principal names it in CARDDAV:directory-gateway; any authenticated user reads it; it holds one
 * card per user (KIND individual) and per group (KIND group with MEMBER); no client may write it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setGroupMember, addGroup } from '../../../src/domain/accounts/groups.js';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { isElement } from '../../../src/xml/element.js';
import { basic, davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { CR, D, errorElement, propfind, putCard, card, type Dav } from '../rfc6352/carddav-helpers.js';

const BOOK = '/dav/addressbooks/__directory__/directory/';

function prop(card: string, name: string): string[] {
  return parseVcard(card)
    .properties.filter((p) => p.name === name)
    .map((p) => p.value);
}

describe('draft-daboo-carddav-directory-gateway: the directory address book', () => {
  let server: TestServer;
  let alice: Dav;
  let bob: Dav;

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
    alice = davFetch(server.url, 'alice');
    bob = davFetch(server.url, 'bob');
    await addGroup(server.announcing, 'staff');
    await setGroupMember(server.announcing, 'staff', 'alice', true);
    await setGroupMember(server.announcing, 'staff', 'bob', true);
  });
  after(() => server.close());

  it('§3: every user principal names the directory in CARDDAV:directory-gateway, not in allprop', async () => {
    for (const [dav, name] of [
      [alice, 'alice'],
      [bob, 'bob'],
    ] as const) {
      const [r] = await propfind(dav, `/dav/principals/users/${name}/`, '<CR:directory-gateway/>');
      const p = r?.props.get(`{${CR}}directory-gateway`);
      assert.equal(p?.status, 200);
      assert.equal(p?.text.trim(), BOOK);
    }
    const res = await alice('/dav/principals/users/alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0', 'Content-Type': 'application/xml' },
      body: '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
    });
    assert.ok(!(await res.text()).includes('directory-gateway'));
  });

  it('§5: it is an address book any authenticated user reads; the unauthenticated get 401', async () => {
    const [r] = await propfind(bob, BOOK, '<D:resourcetype/><D:displayname/><D:current-user-privilege-set/>');
    assert.ok(
      r?.props
        .get(`{${D}}resourcetype`)
        ?.el.children.some((c) => typeof c !== 'string' && isElement(c) && c.name === `{${CR}}addressbook`),
    );
    assert.equal(r?.props.get(`{${D}}displayname`)?.text, 'Directory');
    const privs = r?.props.get(`{${D}}current-user-privilege-set`)?.el;
    const xml = JSON.stringify(privs);
    assert.ok(xml.includes('{DAV:}read'), xml);
    assert.ok(!xml.includes('{DAV:}write') && !xml.includes('{DAV:}bind') && !xml.includes('{DAV:}unbind'), xml);
    const anon = await fetch(new URL(BOOK, server.url), { method: 'PROPFIND', headers: { Depth: '0' } });
    assert.equal(anon.status, 401);
  });

  it('§5: one vCard 4.0 per user (FN, EMAIL, stable UID, KIND individual) and per group (KIND group, MEMBER)', async () => {
    const members = await propfind(alice, BOOK, '<D:getetag/>', '1');
    const hrefs = members.map((m) => m.href).filter((h) => h !== BOOK);
    assert.equal(hrefs.length, 3, hrefs.join(' '));
    const cards = new Map<string, string>();
    for (const h of hrefs) {
      const res = await alice(h, { headers: { Accept: 'text/vcard; version=4.0' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/vcard/);
      const text = await res.text();
      cards.set(prop(text, 'FN')[0] ?? '', text);
    }
    const a = cards.get('alice') ?? '';
    assert.deepEqual(prop(a, 'VERSION'), ['4.0']);
    assert.deepEqual(prop(a, 'KIND'), ['individual']);
    assert.deepEqual(prop(a, 'EMAIL'), ['alice@example.com']);
    assert.match(prop(a, 'UID')[0] ?? '', /^urn:uuid:[0-9a-f-]{36}$/);
    const staff = cards.get('staff') ?? '';
    assert.deepEqual(prop(staff, 'KIND'), ['group']);
    const uids = [prop(a, 'UID')[0], prop(cards.get('bob') ?? '', 'UID')[0]].sort();
    assert.deepEqual(prop(staff, 'MEMBER').sort(), uids);
    // vCard 3.0 without a preference (RFC 6352 §5.1.1): Apple's group form.
    const v3 = await alice(hrefs.find((h) => h.includes('group')) ?? '');
    const t3 = await v3.text();
    assert.deepEqual(prop(t3, 'VERSION'), ['3.0']);
    assert.deepEqual(prop(t3, 'X-ADDRESSBOOKSERVER-KIND'), ['group']);
  });

  it('§4: every write is refused with 403 DAV:need-privileges (the collection is read-only)', async () => {
    const members = await propfind(alice, BOOK, '<D:getetag/>', '1');
    const own = members.find((m) => m.href.includes('user-'))?.href ?? '';
    const attempts: [string, Promise<Response>][] = [
      ['PUT new', putCard(alice, `${BOOK}new.vcf`, card(['VERSION:3.0', 'UID:x1', 'FN:Intruder', 'N:;;;;']))],
      ['PUT over', putCard(alice, own, card(['VERSION:3.0', 'UID:x2', 'FN:Changed', 'N:;;;;']))],
      ['DELETE member', alice(own, { method: 'DELETE' })],
      ['DELETE book', alice(BOOK, { method: 'DELETE' })],
      [
        'PROPPATCH',
        alice(BOOK, {
          method: 'PROPPATCH',
          headers: { 'Content-Type': 'application/xml' },
          body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Mine</D:displayname></D:prop></D:set></D:propertyupdate>',
        }),
      ],
      ['MKCOL', alice(`${BOOK}sub/`, { method: 'MKCOL' })],
      [
        'MOVE out',
        alice(own, {
          method: 'MOVE',
          headers: { Destination: new URL('/dav/addressbooks/alice/default/moved.vcf', server.url).href },
        }),
      ],
    ];
    for (const [what, pending] of attempts) {
      const res = await pending;
      const text = await res.text();
      assert.equal(res.status, 403, `${what}: ${text}`);
      assert.equal(errorElement(text), `{${D}}need-privileges`, what);
    }
    const after = await propfind(alice, BOOK, '<D:getetag/>', '1');
    assert.equal(after.length, members.length);
  });

  it('the server account owning it is not a user: no principal, no login', async () => {
    assert.ok(!(await server.store.listUsers()).some((u) => u.name === '__system__'));
    const res = await fetch(new URL('/dav/principals/users/__system__/', server.url), {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: basic('alice', 'alice-pw') },
    });
    assert.equal(res.status, 404);
    const login = await fetch(new URL('/dav/principals/', server.url), {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: basic('__system__', '!') },
    });
    assert.equal(login.status, 401);
  });
});
