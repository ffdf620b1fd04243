/**
 * RFC 3744 §9.4 DAV:principal-property-search and §9.5 DAV:principal-search-property-set, as the
 * clients that look people up for invitations and sharing send them: test="anyof" / allof,
 * DAV:apply-to-principal-collection-set, display name, calendar-user-address-set (Apple's
 * match-type starts-with, with or without "mailto:") and CS:email-address-set, over users and
 * groups; every user may search the directory; more than 100 matches end in 507
 * DAV:number-of-matches-within-limits (the RFC 5323 §5.17 way).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../../src/domain/users.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8', Depth: '0' };
const C = 'urn:ietf:params:xml:ns:caldav';

let server: TestServer;
const as = (user: string) => davFetch(server.url, user);

async function search(
  path: string,
  body: string,
  user = 'bob',
): Promise<{ status: number; hrefs: string[]; text: string }> {
  const res = await as(user)(path, { method: 'REPORT', headers: XML, body });
  const text = await res.text();
  return {
    status: res.status,
    text,
    hrefs: [...text.matchAll(/<D:response><D:href>([^<]+)<\/D:href>/g)].map((m) => m[1] ?? ''),
  };
}

/** The attendee lookup Apple Calendar sends while an address is typed (golden fixture apple-attendee-lookup). */
const appleLookup = (typed: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<A:principal-property-search xmlns:A="DAV:" test="anyof">
  <A:property-search><A:prop><A:displayname/></A:prop><A:match match-type="starts-with">${typed}</A:match></A:property-search>
  <A:property-search><A:prop><C:calendar-user-address-set xmlns:C="${C}"/></A:prop><A:match match-type="starts-with">${typed}</A:match></A:property-search>
  <A:prop><C:calendar-user-address-set xmlns:C="${C}"/><A:displayname/><A:principal-URL/><D:calendar-user-type xmlns:D="${C}"/></A:prop>
</A:principal-property-search>`;

/** Two searches that must both match, sent with apply-to-principal-collection-set to the DAV root. */
const allOf = (name: string, address: string): string => `<?xml version="1.0" encoding="utf-8"?>
<D:principal-property-search xmlns:D="DAV:" xmlns:C="${C}" test="allof">
  <D:property-search><D:prop><D:displayname/></D:prop><D:match>${name}</D:match></D:property-search>
  <D:property-search><D:prop><C:calendar-user-address-set/></D:prop><D:match>${address}</D:match></D:property-search>
  <D:prop><D:displayname/></D:prop>
  <D:apply-to-principal-collection-set/>
</D:principal-property-search>`;

before(async () => {
  server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
  await server.store.transaction(['/files/alison'], (tx) =>
    createUser(tx, {
      name: 'alison',
      password: 'alison-pw',
      email: 'ali.smith@example.org',
      displayName: 'Alison Smith',
    }),
  );
  await server.store.transaction(['/principals/groups'], async (tx) => {
    const g = await tx.createGroup('alpine-team');
    const alice = await tx.getUserByName('alice');
    if (alice) await tx.addGroupMember(g.id, alice.id);
    // Enough groups to pass the limit of one answer (100), made directly in the store: cheap.
    for (let i = 0; i < 101; i++) await tx.createGroup(`bulk-${String(i).padStart(3, '0')}`);
  });
});
after(() => server.close());

describe('RFC 3744 §9.4 principal-property-search', () => {
  it('Apple attendee lookup (anyof, starts-with) on /principals/ finds users by name and by address', async () => {
    const r = await search('/dav/principals/', appleLookup('ali'));
    assert.equal(r.status, 207);
    assert.deepEqual(r.hrefs.sort(), ['/dav/principals/users/alice/', '/dav/principals/users/alison/']);
    assert.match(r.text, /<D:displayname>Alison Smith<\/D:displayname>/);
    assert.match(r.text, /<C:calendar-user-type>INDIVIDUAL<\/C:calendar-user-type>/);
  });

  it('groups match on their name: "alp" finds the group principal with calendar-user-type GROUP', async () => {
    const r = await search('/dav/principals/', appleLookup('alp'));
    assert.deepEqual(r.hrefs, ['/dav/principals/groups/alpine-team/']);
    assert.match(r.text, /<C:calendar-user-type>GROUP<\/C:calendar-user-type>/);
  });

  it('calendar-user-address-set matches with the mailto: scheme or without it, caselessly', async () => {
    const withScheme = await search('/dav/principals/', appleLookup('MAILTO:ALI.S'));
    assert.deepEqual(withScheme.hrefs, ['/dav/principals/users/alison/']);
    assert.match(withScheme.text, /<C:calendar-user-address-set><D:href>mailto:ali.smith@example.org<\/D:href>/);
  });

  it('test="allof": every property-search must match; apply-to-principal-collection-set from the DAV root', async () => {
    assert.deepEqual((await search('/dav/', allOf('smith', 'example.org'))).hrefs, ['/dav/principals/users/alison/']);
    assert.deepEqual((await search('/dav/', allOf('smith', 'example.com'))).hrefs, []);
  });

  it('CS:email-address-set (what Apple asks for beside the addresses) can be searched and returned', async () => {
    const r = await search(
      '/dav/principals/users/',
      `<?xml version="1.0" encoding="UTF-8"?><A:principal-property-search xmlns:A="DAV:" test="anyof">
      <A:property-search><A:prop><B:email-address-set xmlns:B="http://calendarserver.org/ns/"/></A:prop><A:match match-type="starts-with">bob@</A:match></A:property-search>
      <A:prop><B:email-address-set xmlns:B="http://calendarserver.org/ns/"/></A:prop></A:principal-property-search>`,
    );
    assert.deepEqual(r.hrefs, ['/dav/principals/users/bob/']);
    assert.match(r.text, /<CS:email-address>bob@example.com<\/CS:email-address>/);
  });

  it('the request URI bounds the search without apply-to: /principals/users/ searches users only', async () => {
    const r = await search(
      '/dav/principals/users/',
      '<D:principal-property-search xmlns:D="DAV:"><D:property-search><D:prop><D:displayname/></D:prop><D:match>al</D:match></D:property-search></D:principal-property-search>',
    );
    assert.deepEqual(r.hrefs.sort(), ['/dav/principals/users/alice/', '/dav/principals/users/alison/']);
  });

  it('more than 100 matches: the first 100 and a 507 DAV:number-of-matches-within-limits for the request URI', async () => {
    const r = await search(
      '/dav/principals/groups/',
      '<D:principal-property-search xmlns:D="DAV:"><D:property-search><D:prop><D:displayname/></D:prop><D:match>bulk-</D:match></D:property-search></D:principal-property-search>',
    );
    assert.equal(r.status, 207);
    assert.equal(r.hrefs.length, 101);
    assert.equal(r.hrefs.filter((h) => h.startsWith('/dav/principals/groups/bulk-')).length, 100);
    assert.match(
      r.text,
      /<D:response><D:href>\/dav\/principals\/groups\/<\/D:href><D:status>HTTP\/1.1 507 Insufficient Storage<\/D:status><D:error><D:number-of-matches-within-limits\/><\/D:error><\/D:response>/,
    );
  });

  it('a search shows principals only, never their data: a calendar home asked for is an href, not contents', async () => {
    const r = await search(
      '/dav/principals/',
      `<D:principal-property-search xmlns:D="DAV:" xmlns:C="${C}"><D:property-search><D:prop><D:displayname/></D:prop><D:match>alice</D:match></D:property-search><D:prop><C:calendar-home-set/><D:getetag/></D:prop></D:principal-property-search>`,
    );
    assert.deepEqual(r.hrefs, ['/dav/principals/users/alice/']);
    assert.match(r.text, /<C:calendar-home-set><D:href>\/dav\/calendars\/alice\/<\/D:href><\/C:calendar-home-set>/);
  });
});

describe('CalendarServer calendarserver-principal-search (macOS attendee lookup, the §9.4 alternative)', () => {
  /** The body macOS Calendar sends while an attendee is typed. */
  const macos = (tokens: string[], nresults = 50, context = 'attendee'): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<B:calendarserver-principal-search xmlns:B="http://calendarserver.org/ns/" context="${context}">` +
    tokens.map((t) => `<B:search-token>${t}</B:search-token>`).join('') +
    `<B:limit><B:nresults>${nresults}</B:nresults></B:limit><A:prop xmlns:A="DAV:"><A:displayname/>` +
    `<C:calendar-user-address-set xmlns:C="${C}"/><C:calendar-user-type xmlns:C="${C}"/></A:prop></B:calendarserver-principal-search>`;

  it('every token must match the name or an address; it is listed in supported-report-set', async () => {
    assert.deepEqual((await search('/dav/principals/', macos(['ali', 'smith']))).hrefs, [
      '/dav/principals/users/alison/',
    ]);
    assert.deepEqual((await search('/dav/principals/', macos(['ali', 'nobody']))).hrefs, []);
    assert.deepEqual((await search('/dav/principals/', macos(['ali'], 50, 'location'))).hrefs, []);
    const set = await (
      await as('bob')('/dav/principals/', {
        method: 'PROPFIND',
        headers: XML,
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:supported-report-set/></D:prop></D:propfind>',
      })
    ).text();
    assert.match(set, /<CS:calendarserver-principal-search\/>/);
  });

  it("the client's CS:limit bounds the answer: past it, a 507 for the request URI", async () => {
    const r = await search('/dav/principals/', macos(['bulk-'], 5));
    assert.equal(r.hrefs.length, 6);
    assert.match(r.text, /507 Insufficient Storage<\/D:status><D:error><D:number-of-matches-within-limits\/>/);
  });
});

describe('RFC 3744 §9.5 principal-search-property-set', () => {
  it('lists display name, calendar-user-address-set and CS:email-address-set with descriptions', async () => {
    const res = await as('bob')('/dav/principals/', {
      method: 'REPORT',
      headers: XML,
      body: '<?xml version="1.0"?><D:principal-search-property-set xmlns:D="DAV:"/>',
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    for (const p of ['<D:displayname/>', '<C:calendar-user-address-set/>', '<CS:email-address-set/>']) {
      assert.ok(text.includes(`<D:prop>${p}</D:prop><D:description xml:lang="en">`), p);
    }
  });

  it('RFC 3744 §5.8: principal-collection-set names the users and the groups collections', async () => {
    const text = await (
      await as('bob')('/dav/', {
        method: 'PROPFIND',
        headers: XML,
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:principal-collection-set/></D:prop></D:propfind>',
      })
    ).text();
    assert.match(
      text,
      /<D:principal-collection-set><D:href>\/dav\/principals\/users\/<\/D:href><D:href>\/dav\/principals\/groups\/<\/D:href><\/D:principal-collection-set>/,
    );
  });
});
