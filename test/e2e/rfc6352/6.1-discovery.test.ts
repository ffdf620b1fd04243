import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, CR, D, propfind, type Dav } from './carddav-helpers.js';

describe('RFC 6352 §6.1, §7.1, RFC 6764 §6: finding the address books', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  it('§6.1.1: OPTIONS on an address book advertises "addressbook" in the DAV header', async () => {
    const res = await dav(BOOK, { method: 'OPTIONS' });
    assert.equal(res.status, 200);
    const classes = (res.headers.get('dav') ?? '').split(',').map((s) => s.trim());
    assert.ok(classes.includes('addressbook'), res.headers.get('dav') ?? '');
    assert.ok(classes.includes('3'));
    assert.match(res.headers.get('allow') ?? '', /REPORT/);
  });

  it('RFC 6764 §6: /.well-known/carddav redirects to the DAV root', async () => {
    const res = await fetch(new URL('/.well-known/carddav', server.url), { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(new URL(res.headers.get('location') ?? '', server.url).pathname, '/dav/');
  });

  it('§7.1.1: the principal has addressbook-home-set; §7.1.2 principal-address is defined (empty)', async () => {
    const [p] = await propfind(
      dav,
      '/dav/principals/users/alice/',
      '<CR:addressbook-home-set/><CR:principal-address/>',
    );
    const home = p?.props.get(`{${CR}}addressbook-home-set`);
    assert.equal(home?.status, 200);
    assert.equal(home?.text, '/dav/addressbooks/alice/');
    assert.equal(p?.props.get(`{${CR}}principal-address`)?.status, 200);
  });

  it('current-user-principal → home-set → the default address book (Depth 1), as clients walk it', async () => {
    const [root] = await propfind(dav, '/dav/', '<D:current-user-principal/>');
    assert.equal(root?.props.get(`{${D}}current-user-principal`)?.text, '/dav/principals/users/alice/');
    const members = await propfind(dav, '/dav/addressbooks/alice/', '<D:resourcetype/><D:displayname/>', '1');
    const book = members.find((m) => m.href === BOOK);
    assert.ok(book, members.map((m) => m.href).join(' '));
    const rt = book.props.get(`{${D}}resourcetype`)?.el;
    const types = rt?.children
      .filter((c) => typeof c === 'object' && 'name' in c)
      .map((c) => (c as { name: string }).name);
    assert.deepEqual(types?.sort(), [`{${D}}collection`, `{${CR}}addressbook`].sort());
    assert.equal(book.props.get(`{${D}}displayname`)?.text, 'Contacts');
  });
});
