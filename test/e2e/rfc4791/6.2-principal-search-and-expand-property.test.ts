/**
 * How CalDAV clients read principals (RFC 4791 §6.2): RFC 3253 §3.8 expand-property, RFC 3744
 * §9.4 principal-property-search and §9.5 principal-search-property-set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { report, startCalServer, type CalServer } from './caldav-client.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

describe('principal reports', () => {
  it('RFC 3253 §3.8: expand-property follows current-user-principal into the principal', async () => {
    const r = await report(
      s.fetch,
      '/dav/calendars/alice/default/',
      `<?xml version="1.0"?><D:expand-property xmlns:D="DAV:">
      <D:property name="current-user-principal"><D:property name="displayname"/><D:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav"/></D:property>
      <D:property name="resourcetype"/></D:expand-property>`,
      '0',
    );
    assert.equal(r.status, 207, r.text);
    assert.match(r.text, /<D:current-user-principal><D:response><D:href>\/dav\/principals\/users\/alice\/<\/D:href>/);
    assert.match(r.text, /<D:displayname>alice<\/D:displayname>/);
    assert.match(r.text, /<C:calendar-home-set><D:href>\/dav\/calendars\/alice\/<\/D:href><\/C:calendar-home-set>/);
    assert.match(r.text, /<C:calendar\/>/);
  });

  it('RFC 3744 §9.4: principal-property-search by display name and by calendar address (Apple match-type)', async () => {
    const byName = await report(
      s.fetch,
      '/dav/principals/users/',
      `<?xml version="1.0"?><D:principal-property-search xmlns:D="DAV:">
      <D:property-search><D:prop><D:displayname/></D:prop><D:match>BO</D:match></D:property-search>
      <D:prop><D:displayname/><C:calendar-home-set xmlns:C="urn:ietf:params:xml:ns:caldav"/></D:prop></D:principal-property-search>`,
      '0',
    );
    assert.equal(byName.status, 207);
    assert.match(byName.text, /\/dav\/principals\/users\/bob\//);
    assert.doesNotMatch(byName.text, /users\/alice\//);
    assert.match(byName.text, /\/dav\/calendars\/bob\//);
    const byAddress = await report(
      s.fetch,
      '/dav/principals/',
      `<?xml version="1.0"?><D:principal-property-search xmlns:D="DAV:" test="anyof">
      <D:property-search><D:prop><C:calendar-user-address-set xmlns:C="urn:ietf:params:xml:ns:caldav"/></D:prop><D:match match-type="starts-with">mailto:alice@</D:match></D:property-search>
      <D:property-search><D:prop><D:displayname/></D:prop><D:match>nobody-has-this</D:match></D:property-search>
      <D:prop><D:displayname/></D:prop><D:apply-to-principal-collection-set/></D:principal-property-search>`,
      '0',
    );
    assert.match(byAddress.text, /users\/alice\//);
    assert.doesNotMatch(byAddress.text, /users\/bob\//);
  });

  it('RFC 3744 §9.5: principal-search-property-set lists the searchable properties', async () => {
    const r = await report(
      s.fetch,
      '/dav/principals/users/',
      '<?xml version="1.0"?><D:principal-search-property-set xmlns:D="DAV:"/>',
      '0',
    );
    assert.equal(r.status, 200);
    assert.match(
      r.text,
      /<D:principal-search-property><D:prop><D:displayname\/><\/D:prop><D:description xml:lang="en">/,
    );
    assert.match(r.text, /calendar-user-address-set/);
  });
});
