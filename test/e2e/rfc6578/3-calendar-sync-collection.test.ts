/**
 * RFC 6578 §3 on a calendar: sync-collection with calendar-data, deletes as 404, the token
 * moving, and the CTag and sync-token changing together with a change of any member.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cs, dav } from '../../../src/xml/names.js';
import { textOf } from '../../../src/xml/element.js';
import {
  calendarData,
  event,
  names,
  propOf,
  put,
  report,
  startCalServer,
  XML,
  type CalServer,
} from '../rfc4791/caldav-client.js';
import { parseXml } from '../../../src/xml/parse.js';

const CAL = '/dav/calendars/alice/default/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

const sync = (token: string, prop = '<D:getetag/>') =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop>${prop}</D:prop></D:sync-collection>`;
const tokenOf = (text: string): string =>
  /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';

async function state() {
  const res = await s.fetch(CAL, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>',
  });
  const ms = parseXml(await res.text());
  return { ctag: textOf(propOf(ms, cs('getctag'))!), token: textOf(propOf(ms, dav('sync-token'))!) };
}

describe('RFC 6578 sync-collection on a calendar', () => {
  it('initial sync, changes with calendar-data, deletes as 404, ctag follows', async () => {
    for (const uid of ['s1', 's2', 's3'])
      assert.equal(
        (await put(s.fetch, `${CAL}${uid}.ics`, event(uid, '20240102T100000Z', '20240102T110000Z'))).status,
        201,
      );
    const before = await state();
    const first = await report(s.fetch, CAL, sync(''), null);
    assert.equal(first.status, 207);
    assert.deepEqual(names(first.xml), ['s1.ics', 's2.ics', 's3.ics']);
    const t1 = tokenOf(first.text);
    assert.equal(t1, before.token);

    assert.equal((await put(s.fetch, `${CAL}s2.ics`, event('s2', '20240102T100000Z', '20240102T120000Z'))).status, 204);
    assert.equal((await s.fetch(`${CAL}s3.ics`, { method: 'DELETE' })).status, 204);
    assert.equal((await put(s.fetch, `${CAL}s4.ics`, event('s4', '20240103T100000Z', '20240103T110000Z'))).status, 201);
    const after = await state();
    assert.notEqual(after.ctag, before.ctag);
    assert.notEqual(after.token, before.token);

    const delta = await report(s.fetch, CAL, sync(t1, '<D:getetag/><C:calendar-data/>'), null);
    assert.deepEqual(names(delta.xml), ['s2.ics', 's3.ics', 's4.ics']);
    assert.match(delta.text, /s3.ics<\/D:href><D:status>HTTP\/1.1 404 Not Found/);
    assert.match(calendarData(delta.xml).get('s2.ics') ?? '', /DTEND:20240102T120000Z/);
    const t2 = tokenOf(delta.text);
    assert.equal(t2, after.token);
    const none = await report(s.fetch, CAL, sync(t2), null);
    assert.deepEqual(names(none.xml), []);
  });

  it('an unknown token is 403 DAV:valid-sync-token (the client falls back to a full sync)', async () => {
    const r = await report(s.fetch, CAL, sync('http://almanac.invalid/sync/999-999'), null);
    assert.equal(r.status, 403);
    assert.match(r.text, /valid-sync-token/);
  });
});
