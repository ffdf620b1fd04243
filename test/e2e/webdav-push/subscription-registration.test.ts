/**
 * draft-bitfire-webdav-push § Service Detection, § Push Properties, § Subscription Registration,
 * § Subscription Updates, § Subscription Removal, § Expiration and § Security Context, against a
 * real server: what DAVx5 reads (the Depth-1 PROPFIND of a home) and what it sends (its
 * push-register before and after bitfireAT/davx5-ose#2859 added trigger and content-encoding).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, davFetch, type TestServer } from '../../helpers/server.js';
import { PushService, registerBody, type Subscription } from './push-service.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/default/';
let s: TestServer;
let svc: PushService;
let alice: ReturnType<typeof davFetch>;
let bob: ReturnType<typeof davFetch>;

before(async () => {
  svc = await PushService.start();
  s = await startTestServer({ config: { pushTestLoopback: true, pushMaxPerUser: 6 } });
  alice = davFetch(s.url);
  bob = davFetch(s.url, 'bob');
});
after(async () => {
  await s.close();
  await svc.close();
});

const register = (path: string, body: string, as = alice) => as(path, { method: 'POST', headers: XML, body });
const conditionOf = async (res: Response): Promise<string> => /<P:([a-z-]+)\/>/.exec(await res.text())?.[1] ?? '';

/** DAVx5 4.5.19 (bitfireAT/davx5-ose#2859, the body in jelmer/xandikos#716): no trigger, no content-encoding. */
const davx5Before = (sub: Subscription): string =>
  `<ns0:push-register xmlns:ns0="https://bitfire.at/webdav-push"><ns0:subscription><ns0:web-push-subscription><ns0:push-resource>${sub.pushResource}</ns0:push-resource><ns0:subscription-public-key type="p256dh">${sub.publicKey}</ns0:subscription-public-key><ns0:auth-secret>${sub.authSecret}</ns0:auth-secret></ns0:web-push-subscription></ns0:subscription><ns0:expires>${new Date(Date.now() + 3 * 86400_000).toUTCString()}</ns0:expires></ns0:push-register>`;

/** DAVx5 after the fix: the same with a content-update (depth 1), property-update (depth 0) trigger and aes128gcm. */
const davx5After = (sub: Subscription): string =>
  `<ns0:push-register xmlns:ns0="https://bitfire.at/webdav-push" xmlns:ns1="DAV:"><ns0:subscription><ns0:web-push-subscription><ns0:push-resource>${sub.pushResource}</ns0:push-resource><ns0:content-encoding>aes128gcm</ns0:content-encoding><ns0:subscription-public-key type="p256dh">${sub.publicKey}</ns0:subscription-public-key><ns0:auth-secret>${sub.authSecret}</ns0:auth-secret></ns0:web-push-subscription></ns0:subscription><ns0:trigger><ns0:content-update><ns1:depth>1</ns1:depth></ns0:content-update><ns0:property-update><ns1:depth>0</ns1:depth></ns0:property-update></ns0:trigger><ns0:expires>${new Date(Date.now() + 3 * 86400_000).toUTCString()}</ns0:expires></ns0:push-register>`;

describe('WebDAV-Push service detection (draft § Service Detection, § Push Properties)', () => {
  it('OPTIONS lists webdav-push in the DAV header', async () => {
    const res = await alice(CAL, { method: 'OPTIONS' });
    assert.match(res.headers.get('dav') ?? '', /\bwebdav-push\b/);
    assert.match(res.headers.get('allow') ?? '', /\bPOST\b/);
  });

  it('the Depth-1 PROPFIND of the home answers transports with the VAPID key, topic and supported-triggers for each calendar', async () => {
    const res = await alice('/dav/calendars/alice/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:P="https://bitfire.at/webdav-push"><D:prop><P:transports/><P:topic/><P:supported-triggers/></D:prop></D:propfind>',
    });
    assert.equal(res.status, 207);
    const text = await res.text();
    const responses = text.split('</D:response>').filter((r) => r.includes('<D:href>'));
    const cal = responses.find((r) => r.includes(`<D:href>${CAL}</D:href>`));
    assert.ok(cal, text);
    assert.match(cal, /<P:vapid-public-key type="p256ecdsa">[A-Za-z0-9_-]{87}<\/P:vapid-public-key>/);
    assert.match(cal, /<P:topic>[A-Za-z0-9_-]{22}<\/P:topic>/);
    assert.match(cal, /<P:content-update><D:depth>1<\/D:depth><\/P:content-update>/);
    assert.match(cal, /<P:property-update><D:depth>0<\/D:depth><\/P:property-update>/);
    // The home itself is Push-capable too (new calendars), with its own topic.
    const home = responses.find((r) => r.includes('<D:href>/dav/calendars/alice/</D:href>'));
    const topics = [...text.matchAll(/<P:topic>([^<]+)<\/P:topic>/g)].map((m) => m[1]);
    assert.match(home ?? '', /<P:topic>/);
    assert.equal(new Set(topics).size, topics.length, 'topics are unique');
  });

  it('a calendar object has no topic (MUST NOT for resources without push)', async () => {
    await alice(`${CAL}e1.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    const res = await alice(`${CAL}e1.ics`, {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '0' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:P="https://bitfire.at/webdav-push"><D:prop><P:topic/></D:prop></D:propfind>',
    });
    assert.match(await res.text(), /<P:topic\/>[\s\S]*404 Not Found/);
  });
});

describe('push-register (draft § Subscription Registration, § Subscription Updates)', () => {
  it('registers with 201, an absolute Location and Expires between 3 and 7 days; registering again updates in place (204, same Location)', async () => {
    const sub = svc.subscribe();
    const res = await register(CAL, registerBody(sub));
    assert.equal(res.status, 201, await res.text());
    const location = res.headers.get('location') ?? '';
    assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/push\/registrations\/[A-Za-z0-9_-]+$/);
    const expires = Date.parse(res.headers.get('expires') ?? '');
    assert.match(res.headers.get('expires') ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.ok(expires >= Date.now() + 3 * 86400_000 - 60_000 && expires <= Date.now() + 7 * 86400_000 + 1000);
    const again = await register(CAL, registerBody(sub));
    assert.equal(again.status, 204);
    assert.equal(again.headers.get('location'), location);
    assert.equal((await alice(location, { method: 'DELETE' })).status, 204);
  });

  it('accepts DAVx5 4.5.19 (no trigger, no content-encoding: content-update depth 1, aes128gcm) and DAVx5 after its fix', async () => {
    const before = await register(CAL, davx5Before(svc.subscribe()));
    assert.equal(before.status, 201, await before.text());
    const afterFix = await register(CAL, davx5After(svc.subscribe()));
    assert.equal(afterFix.status, 201, await afterFix.text());
    for (const r of [before, afterFix]) await alice(r.headers.get('location') ?? '', { method: 'DELETE' });
  });

  it('registers on a home and on an address book', async () => {
    for (const path of ['/dav/calendars/alice/', '/dav/addressbooks/alice/', '/dav/addressbooks/alice/default/']) {
      const res = await register(path, registerBody(svc.subscribe()));
      assert.equal(res.status, 201, `${path}: ${res.status}`);
      await alice(res.headers.get('location') ?? '', { method: 'DELETE' });
    }
  });

  it('an empty trigger is 403 no-supported-trigger', async () => {
    const res = await register(CAL, registerBody(svc.subscribe(), ' '));
    assert.equal(res.status, 403);
    assert.equal(await conditionOf(res), 'no-supported-trigger');
  });

  it('a subscription that is not https, has a bad key or secret, or another encoding is 403 invalid-subscription', async () => {
    const good = svc.subscribe();
    const bodies = [
      registerBody({ ...good, pushResource: 'http://push.example.net/x' }),
      registerBody({ ...good, publicKey: 'AAAA' }),
      registerBody({ ...good, authSecret: 'c2hvcnQ' }),
      registerBody(good).replace('aes128gcm', 'aesgcm'),
      registerBody(good).replace(/<P:subscription>[\s\S]*<\/P:subscription>/, ''),
    ];
    for (const body of bodies) {
      const res = await register(CAL, body);
      assert.equal(res.status, 403);
      assert.equal(await conditionOf(res), 'invalid-subscription');
    }
  });

  it("POST to a calendar object or a plain collection is 405 (no push there); to another user's calendar 403", async () => {
    const res = await register(`${CAL}e1.ics`, registerBody(svc.subscribe()));
    assert.equal(res.status, 405);
    const files = await register('/dav/files/alice/', registerBody(svc.subscribe()));
    assert.equal(files.status, 405);
    const foreign = await register(CAL, registerBody(svc.subscribe()), bob);
    assert.equal(foreign.status, 403);
  });

  it('a user holds at most pushMaxPerUser registrations (403 push-not-available beyond)', async () => {
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await register(CAL, registerBody(svc.subscribe()));
      assert.equal(res.status, 201);
      made.push(res.headers.get('location') ?? '');
    }
    const over = await register(CAL, registerBody(svc.subscribe()));
    assert.equal(over.status, 403);
    assert.equal(await conditionOf(over), 'push-not-available');
    for (const l of made) await alice(l, { method: 'DELETE' });
  });
});

describe('registration removal (draft § Subscription Removal, § Security Context)', () => {
  it('DELETE is 204, then 404; only the owner may remove it (403 for another user)', async () => {
    const res = await register(CAL, registerBody(svc.subscribe()));
    const location = res.headers.get('location') ?? '';
    assert.equal((await bob(location, { method: 'DELETE' })).status, 403);
    assert.equal((await alice(location, { method: 'GET' })).status, 405);
    assert.equal((await alice(location, { method: 'DELETE' })).status, 204);
    assert.equal((await alice(location, { method: 'DELETE' })).status, 404);
    const anon = await fetch(location, { method: 'DELETE' });
    assert.equal(anon.status, 401);
  });
});
