/**
 * RFC 3744 §7.1.1 and RFC 4918 §10.4.4: a user learns nothing about, and changes nothing of,
 * another user's data. Alice sends every registered method and every registered report at pairs
 * of Bob's paths — one that exists, one that does not — and at her own resources with Bob's
 * paths inside the request (Destination, If header, multiget hrefs, expand-property). Each pair
 * must get the same status, the same headers and the same body once the path the request named
 * is blanked out; no answer may carry Bob's content, entity tags, sync tokens or lock token; and
 * Bob's collections are unchanged afterwards.
 *
 * The matrix is built from the registries, so a method or report registered later is covered
 * without touching this file (it is sent with an empty body, or an empty root element).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRegistry } from '../../../src/dav/index.js';
import { splitClark } from '../../../src/xml/names.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

/** What the server under test registers: a registry of the same make, for the list of names. */
const registry = createRegistry();
const SECRET = 'BOB-SECRET';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const NS =
  'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"';

/** One of Bob's paths that exists and one like it that does not. */
interface Pair {
  readonly what: string;
  readonly existing: string;
  readonly missing: string;
}

const PAIRS: readonly Pair[] = [
  { what: 'file', existing: '/dav/files/bob/secret.txt', missing: '/dav/files/bob/absent.txt' },
  { what: 'folder', existing: '/dav/files/bob/folder/', missing: '/dav/files/bob/nofolder/' },
  // Neither exists: the first lies in a folder Bob holds a depth-infinity lock on.
  {
    what: 'member of a folder Bob locked',
    existing: '/dav/files/bob/locked/inside.txt',
    missing: '/dav/files/bob/folder/inside.txt',
  },
  { what: 'home', existing: '/dav/calendars/bob/', missing: '/dav/calendars/nobody/' },
  { what: 'calendar', existing: '/dav/calendars/bob/default/', missing: '/dav/calendars/bob/nocal/' },
  {
    what: 'calendar object',
    existing: '/dav/calendars/bob/default/event.ics',
    missing: '/dav/calendars/bob/default/absent.ics',
  },
  { what: 'address book', existing: '/dav/addressbooks/bob/default/', missing: '/dav/addressbooks/bob/nobook/' },
  {
    what: 'address object',
    existing: '/dav/addressbooks/bob/default/card.vcf',
    missing: '/dav/addressbooks/bob/default/absent.vcf',
  },
];

const PROPS =
  '<D:prop><D:getetag/><D:displayname/><D:resourcetype/><D:sync-token/><CS:getctag/><D:lockdiscovery/>' +
  '<D:current-user-privilege-set/><D:acl/><D:owner/><D:getcontentlength/><C:calendar-data/><A:address-data/></D:prop>';

/** A request body for a report, by its XML name; a report registered later gets its empty root. */
function reportBody(name: string, target: string): string {
  const bodies: Record<string, string> = {
    '{DAV:}sync-collection': `<D:sync-collection ${NS}><D:sync-token/><D:sync-level>1</D:sync-level>${PROPS}</D:sync-collection>`,
    '{DAV:}expand-property':
      `<D:expand-property ${NS}><D:property name="owner"><D:property name="displayname"/></D:property>` +
      '<D:property name="getetag"/><D:property name="sync-token"/></D:expand-property>',
    '{DAV:}principal-property-search':
      `<D:principal-property-search ${NS}><D:property-search><D:prop><D:displayname/></D:prop>` +
      `<D:match>bob</D:match></D:property-search>${PROPS}</D:principal-property-search>`,
    '{DAV:}principal-search-property-set': `<D:principal-search-property-set ${NS}/>`,
    '{urn:ietf:params:xml:ns:caldav}calendar-query': `<C:calendar-query ${NS}>${PROPS}<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`,
    '{urn:ietf:params:xml:ns:caldav}calendar-multiget':
      `<C:calendar-multiget ${NS}>${PROPS}<D:href>${target}</D:href>` +
      '<D:href>/dav/calendars/bob/default/event.ics</D:href></C:calendar-multiget>',
    '{urn:ietf:params:xml:ns:caldav}free-busy-query': `<C:free-busy-query ${NS}><C:time-range start="20200101T000000Z" end="20400101T000000Z"/></C:free-busy-query>`,
    '{urn:ietf:params:xml:ns:carddav}addressbook-query': `<A:addressbook-query ${NS}>${PROPS}</A:addressbook-query>`,
    '{urn:ietf:params:xml:ns:carddav}addressbook-multiget':
      `<A:addressbook-multiget ${NS}>${PROPS}<D:href>${target}</D:href>` +
      '<D:href>/dav/addressbooks/bob/default/card.vcf</D:href></A:addressbook-multiget>',
  };
  const { namespace, local } = splitClark(name);
  return `<?xml version="1.0" encoding="utf-8"?>${bodies[name] ?? `<x:${local} xmlns:x="${namespace}"/>`}`;
}

interface Sent {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Everything secret about Bob's data, collected as Bob before the matrix runs. */
const secrets = new Set<string>([SECRET]);
let bobLockToken = '';
let destinations = 0;

/** Blank out the path a request named (href, with and without its slash, and as a store path). */
function blank(text: string, href: string): string {
  const bare = href.replace(/\/$/, '');
  return [href, bare, bare.replace(/^\/dav/, '')].reduce((t, s) => t.split(s).join('{TARGET}'), text);
}

/** The headers whose presence or value could tell the two apart. */
function headerShape(res: Response, href: string): string {
  return ['allow', 'content-type', 'dav', 'etag', 'lock-token', 'location', 'last-modified', 'content-range']
    .map(
      (h) =>
        `${h}=${blank(res.headers.get(h) === null ? '-' : h === 'last-modified' || h === 'etag' || h === 'lock-token' ? 'set' : (res.headers.get(h) ?? ''), href)}`,
    )
    .join(' ');
}

function assertNothingOfBob(sent: Sent, label: string): void {
  for (const s of secrets)
    assert.ok(!sent.body.includes(s) && !sent.headers.includes(s), `${label}: the answer reveals ${s}:\n${sent.body}`);
}

describe("RFC 3744 §7.1.1: another user's data is neither read, written nor revealed", () => {
  let server: TestServer;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');
  const bob = (): ReturnType<typeof davFetch> => davFetch(server.url, 'bob');
  let bobBefore = '';

  /** What Bob sees of his own collections: every member's etag and every collection's sync token. */
  async function bobState(): Promise<string> {
    const out: string[] = [];
    for (const path of [
      '/dav/files/bob/',
      '/dav/files/bob/folder/',
      '/dav/files/bob/locked/',
      '/dav/calendars/bob/',
      '/dav/calendars/bob/default/',
      '/dav/addressbooks/bob/',
      '/dav/addressbooks/bob/default/',
    ]) {
      const res = await bob()(path, {
        method: 'PROPFIND',
        headers: { Depth: '1', ...XML },
        body: `<D:propfind ${NS}><D:prop><D:getetag/><D:sync-token/><D:getcontentlength/><D:displayname/></D:prop></D:propfind>`,
      });
      out.push(`${path} ${res.status} ${await res.text()}`);
    }
    const lock = await bob()('/dav/files/bob/locked/', {
      method: 'PROPFIND',
      headers: { Depth: '0', ...XML },
      body: `<D:propfind ${NS}><D:prop><D:lockdiscovery/></D:prop></D:propfind>`,
    });
    out.push(`lock held: ${(await lock.text()).includes(bobLockToken)}`);
    return out.join('\n');
  }

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    const b = bob();
    const ok = async (p: Promise<Response>, label: string): Promise<Response> => {
      const res = await p;
      assert.ok(res.status < 300, `${label}: ${res.status} ${await res.clone().text()}`);
      return res;
    };
    await ok(b('/dav/files/bob/secret.txt', { method: 'PUT', body: `${SECRET} file` }), 'PUT file');
    await ok(b('/dav/files/bob/folder/', { method: 'MKCOL' }), 'MKCOL folder');
    await ok(b('/dav/files/bob/folder/inner.txt', { method: 'PUT', body: `${SECRET} inner` }), 'PUT inner');
    await ok(b('/dav/files/bob/locked/', { method: 'MKCOL' }), 'MKCOL locked');
    const lock = await ok(
      b('/dav/files/bob/locked/', {
        method: 'LOCK',
        headers: { ...XML, Depth: 'infinity', Timeout: 'Second-3600' },
        body: `<D:lockinfo ${NS}><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>${SECRET}-owner</D:owner></D:lockinfo>`,
      }),
      'LOCK',
    );
    bobLockToken = (lock.headers.get('lock-token') ?? '').replace(/[<>]/g, '');
    assert.ok(bobLockToken);
    await ok(
      b('/dav/calendars/bob/default/event.ics', {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//test//EN',
          'BEGIN:VEVENT',
          'UID:bob-event-1',
          'DTSTAMP:20300101T000000Z',
          'DTSTART:20300101T100000Z',
          'DTEND:20300101T110000Z',
          `SUMMARY:${SECRET} event`,
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      }),
      'PUT event',
    );
    await ok(
      b('/dav/addressbooks/bob/default/card.vcf', {
        method: 'PUT',
        headers: { 'Content-Type': 'text/vcard' },
        body: [
          'BEGIN:VCARD',
          'VERSION:3.0',
          'UID:bob-card-1',
          `FN:${SECRET} card`,
          'N:Card;Bob;;;',
          'END:VCARD',
          '',
        ].join('\r\n'),
      }),
      'PUT card',
    );
    // Every entity tag and sync token of Bob's is a secret too.
    for (const path of [
      '/dav/files/bob/',
      '/dav/files/bob/folder/',
      '/dav/files/bob/locked/',
      '/dav/calendars/bob/default/',
      '/dav/addressbooks/bob/default/',
    ]) {
      const text = await (
        await b(path, {
          method: 'PROPFIND',
          headers: { Depth: '1', ...XML },
          body: `<D:propfind ${NS}><D:prop><D:getetag/><D:sync-token/><CS:getctag/></D:prop></D:propfind>`,
        })
      ).text();
      for (const m of text.matchAll(/<D:(?:getetag|sync-token)>([^<]+)</g)) secrets.add(m[1]!.replace(/&quot;/g, '"'));
      for (const m of text.matchAll(/<CS:getctag[^>]*>([^<]+)</g)) secrets.add(m[1]!);
    }
    secrets.add(bobLockToken);
    // Alice's own things to send requests at.
    await ok(alice()('/dav/files/alice/mine.txt', { method: 'PUT', body: 'alice' }), 'PUT alice');
    // Carol has no calendar or address book home: her principal names homes that do not exist.
    await server.store.transaction(['/calendars/carol', '/addressbooks/carol'], async (tx) => {
      await tx.deleteResource('/calendars/carol');
      await tx.deleteResource('/addressbooks/carol');
    });
    bobBefore = await bobState();
  });
  after(async () => server.close());

  /** Send one request as Alice and read the answer. */
  async function send(path: string, method: string, headers: Record<string, string>, body?: string): Promise<Sent> {
    const res = await alice()(path, {
      method,
      headers,
      ...(body !== undefined && method !== 'HEAD' && method !== 'GET' ? { body } : {}),
    });
    return { status: res.status, headers: headerShape(res, path), body: blank(await res.text(), path) };
  }

  /** The headers and body each registered method is sent with at `target`. */
  function methodRequest(method: string): { headers: Record<string, string>; body?: string } {
    switch (method) {
      case 'PUT':
        return { headers: { 'Content-Type': 'text/plain' }, body: 'planted by alice' };
      case 'PROPPATCH':
        return {
          headers: XML,
          body: `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>alice was here</D:displayname></D:prop></D:set></D:propertyupdate>`,
        };
      case 'PROPFIND':
        return { headers: { ...XML, Depth: '1' }, body: `<D:propfind ${NS}>${PROPS}</D:propfind>` };
      case 'LOCK':
        return {
          headers: { ...XML, Timeout: 'Second-60' },
          body: `<D:lockinfo ${NS}><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>`,
        };
      case 'UNLOCK':
        return { headers: { 'Lock-Token': `<${bobLockToken}>` } };
      case 'COPY':
      case 'MOVE':
        return { headers: { Destination: `${server.url}/dav/files/alice/taken-${++destinations}`, Overwrite: 'T' } };
      case 'MKCALENDAR':
      case 'MKCOL':
        return { headers: {} };
      default:
        return { headers: {} };
    }
  }

  /** Send the same request at both paths of a pair; both answers must look alike and hold nothing of Bob's. */
  async function assertSameAnswer(
    label: string,
    pair: Pair,
    request: (path: string) => Promise<Sent>,
    refused = true,
  ): Promise<void> {
    const existing = await request(pair.existing);
    const missing = await request(pair.missing);
    const shown = `${label} on ${pair.what}: existing ${existing.status}, missing ${missing.status}`;
    assertNothingOfBob(existing, shown);
    assertNothingOfBob(missing, shown);
    assert.equal(existing.status, missing.status, `${shown}\n${existing.body}\n---\n${missing.body}`);
    if (refused) assert.ok(existing.status >= 400, `${shown}: Alice's request succeeded\n${existing.body}`);
    assert.equal(existing.headers, missing.headers, shown);
    assert.equal(existing.body, missing.body, shown);
  }

  describe("every method at Bob's paths", () => {
    for (const method of registry.methods.keys()) {
      if (method === 'REPORT') continue; // below, once per report
      it(`${method}: the same refusal whether Bob's resource exists or not`, async () => {
        for (const pair of PAIRS) {
          await assertSameAnswer(method, pair, (path) => {
            const { headers, body } = methodRequest(method);
            return send(path, method, headers, body);
          });
        }
      });
    }
    it("a method no one registered: the same answer whether Bob's resource exists or not", async () => {
      for (const pair of PAIRS) await assertSameAnswer('BREW', pair, (path) => send(path, 'BREW', {}), true);
    });
  });

  describe("every report at Bob's paths", () => {
    for (const name of registry.reports.keys()) {
      it(`REPORT ${name}: the same refusal whether Bob's resource exists or not`, async () => {
        for (const pair of PAIRS) {
          await assertSameAnswer(`REPORT ${name}`, pair, (path) =>
            send(path, 'REPORT', { ...XML, Depth: '1' }, reportBody(name, path)),
          );
        }
      });
    }
  });

  describe("Bob's paths named inside Alice's own requests", () => {
    const destPairs: readonly Pair[] = [
      { what: 'destination file', existing: '/dav/files/bob/secret.txt', missing: '/dav/files/bob/absent.txt' },
      {
        what: 'destination in a folder',
        existing: '/dav/files/bob/folder/new.txt',
        missing: '/dav/files/bob/nofolder/new.txt',
      },
      {
        what: 'destination in a locked folder',
        existing: '/dav/files/bob/locked/new.txt',
        missing: '/dav/files/bob/folder/new2.txt',
      },
      {
        what: 'destination calendar object',
        existing: '/dav/calendars/bob/default/event.ics',
        missing: '/dav/calendars/bob/default/absent.ics',
      },
    ];
    for (const method of ['COPY', 'MOVE']) {
      for (const overwrite of ['T', 'F']) {
        it(`RFC 4918 §10.3: ${method} with Overwrite ${overwrite} and a Destination in Bob's area`, async () => {
          for (const pair of destPairs) {
            await assertSameAnswer(`${method} Overwrite ${overwrite}`, pair, async (dest) => {
              const res = await alice()('/dav/files/alice/mine.txt', {
                method,
                headers: { Destination: `${server.url}${dest}`, Overwrite: overwrite },
              });
              return { status: res.status, headers: headerShape(res, dest), body: blank(await res.text(), dest) };
            });
          }
          assert.equal((await alice()('/dav/files/alice/mine.txt')).status, 200, "Alice's source is still there");
        });
      }
    }

    it("RFC 4918 §10.4.4: an If header naming Bob's resource by its entity tag does not reveal the tag", async () => {
      const etags = [...secrets].filter((s) => s.startsWith('"'));
      assert.ok(etags.length > 0);
      const pair = PAIRS[0]!;
      const bobEtag = await (await bob()(pair.existing, { method: 'HEAD' })).headers.get('etag');
      assert.ok(bobEtag);
      for (const not of ['', 'Not ']) {
        for (const method of ['PUT', 'PROPPATCH', 'DELETE', 'MKCOL', 'LOCK']) {
          await assertSameAnswer(
            `${method} If: <Bob's> (${not}[etag])`,
            pair,
            async (tagged) => {
              const target =
                method === 'MKCOL'
                  ? '/dav/files/alice/newdir/'
                  : method === 'DELETE'
                    ? '/dav/files/alice/none.txt'
                    : '/dav/files/alice/mine.txt';
              const { headers, body } = methodRequest(method);
              const res = await alice()(target, {
                method,
                headers: { ...headers, If: `<${server.url}${tagged}> (${not}[${bobEtag}])` },
                ...(body !== undefined ? { body } : {}),
              });
              if (res.status < 300 && method === 'MKCOL') await alice()(target, { method: 'DELETE' });
              if (res.status < 300 && method === 'LOCK') {
                await alice()(target, {
                  method: 'UNLOCK',
                  headers: { 'Lock-Token': res.headers.get('lock-token') ?? '' },
                });
              }
              // Alice's own new lock token differs from request to request.
              const text = (await res.text()).replace(/urn:uuid:[0-9a-f-]{36}/g, (t) =>
                t === bobLockToken ? t : '{ALICE-TOKEN}',
              );
              return { status: res.status, headers: headerShape(res, tagged), body: blank(text, tagged) };
            },
            false,
          );
        }
      }
    });

    it("RFC 4918 §10.4.4: an If header naming Bob's lock token does not reveal which of his resources it covers", async () => {
      const pair: Pair = {
        what: 'locked folder',
        existing: '/dav/files/bob/locked/',
        missing: '/dav/files/bob/folder/',
      };
      for (const not of ['', 'Not ']) {
        await assertSameAnswer(
          `PUT If: <Bob's> (${not}<token>)`,
          pair,
          async (tagged) => {
            const res = await alice()('/dav/files/alice/mine.txt', {
              method: 'PUT',
              body: 'alice',
              headers: { If: `<${server.url}${tagged}> (${not}<${bobLockToken}>)` },
            });
            return { status: res.status, headers: headerShape(res, tagged), body: blank(await res.text(), tagged) };
          },
          false,
        );
      }
    });

    const multigets: readonly [string, string, Pair][] = [
      [
        'calendar-multiget',
        '/dav/calendars/alice/default/',
        {
          what: 'calendar object',
          existing: '/dav/calendars/bob/default/event.ics',
          missing: '/dav/calendars/bob/default/absent.ics',
        },
      ],
      [
        'addressbook-multiget',
        '/dav/addressbooks/alice/default/',
        {
          what: 'address object',
          existing: '/dav/addressbooks/bob/default/card.vcf',
          missing: '/dav/addressbooks/bob/default/absent.vcf',
        },
      ],
    ];
    for (const [report, collection, pair] of multigets) {
      it(`${report} on Alice's collection with an href of Bob's: the same DAV:response whether it exists or not`, async () => {
        const ns = report.startsWith('calendar') ? 'C' : 'A';
        await assertSameAnswer(
          report,
          pair,
          async (href) => {
            const res = await alice()(collection, {
              method: 'REPORT',
              headers: { ...XML, Depth: '1' },
              body: `<${ns}:${report} ${NS}>${PROPS}<D:href>${href}</D:href></${ns}:${report}>`,
            });
            return { status: res.status, headers: headerShape(res, href), body: blank(await res.text(), href) };
          },
          false,
        );
      });
    }

    it("RFC 3253 §3.8: expand-property on Bob's principal does not expand Bob's homes", async () => {
      const body =
        `<D:expand-property ${NS}>` +
        '<D:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav"><D:property name="displayname"/><D:property name="sync-token"/>' +
        '<D:property name="getctag" namespace="http://calendarserver.org/ns/"/><D:property name="getetag"/><D:property name="resourcetype"/>' +
        '<D:property name="owner"><D:property name="displayname"/></D:property></D:property>' +
        '<D:property name="addressbook-home-set" namespace="urn:ietf:params:xml:ns:carddav"><D:property name="displayname"/><D:property name="sync-token"/></D:property>' +
        '</D:expand-property>';
      // Bob's homes exist, Carol's do not: the two answers must differ in the user name only.
      const answer = async (user: string): Promise<Sent> => {
        const res = await alice()(`/dav/principals/users/${user}/`, {
          method: 'REPORT',
          headers: { ...XML, Depth: '0' },
          body,
        });
        return {
          status: res.status,
          headers: headerShape(res, ''),
          body: (await res.text()).split(user).join('{USER}'),
        };
      };
      const [ofBob, ofCarol] = [await answer('bob'), await answer('carol')];
      assert.equal(ofBob.status, 207, ofBob.body);
      assertNothingOfBob(ofBob, 'expand-property');
      assert.doesNotMatch(
        ofBob.body,
        /<D:resourcetype>|<D:displayname>\{USER\}|<D:sync-token>|getctag>[^<]/,
        ofBob.body,
      );
      assert.equal(ofBob.body, ofCarol.body);
    });

    it('RFC 3744 §9.4, §9.5: the principal search reports show principals, nothing of their data', async () => {
      for (const name of ['{DAV:}principal-property-search', '{DAV:}principal-search-property-set']) {
        for (const path of ['/dav/principals/', '/dav/principals/users/', '/dav/principals/users/bob/']) {
          const res = await alice()(path, {
            method: 'REPORT',
            headers: { ...XML, Depth: '0' },
            body: reportBody(name, path),
          });
          const sent = { status: res.status, headers: headerShape(res, path), body: await res.text() };
          assert.ok(sent.status < 300, `${name} on ${path}: ${sent.status}`);
          assertNothingOfBob(sent, `${name} on ${path}`);
        }
      }
    });
  });

  it("Bob's data is unchanged and nothing of his was copied to Alice", async () => {
    assert.equal(await bobState(), bobBefore);
    const listing = await (await alice()('/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: '1' } })).text();
    assert.deepEqual(
      [...listing.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]),
      ['/dav/files/alice/', '/dav/files/alice/mine.txt'],
    );
    for (const pair of PAIRS.filter((p) => !p.existing.includes('/locked/'))) {
      assert.equal((await bob()(pair.existing, { method: 'HEAD' })).status, 200, pair.existing);
    }
  });
});
