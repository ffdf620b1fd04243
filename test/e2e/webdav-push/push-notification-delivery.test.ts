/**
 * draft-bitfire-webdav-push § Push Notification, § Push Message, § Suppressing Notifications,
 * § Removal of Invalid Subscriptions and § Message Encryption, § VAPID: a change committed on a
 * real server reaches a push service on loopback as an RFC 8291 aes128gcm message (decrypted
 * here independently) with a VAPID JWT (checked here), carrying the topic and the new sync-token.
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

before(async () => {
  svc = await PushService.start();
  s = await startTestServer({ config: { pushTestLoopback: true, pushRetryBaseMs: 100 } });
  alice = davFetch(s.url);
  svc.vapidKey = (await props(CAL)).vapid;
});
after(async () => {
  await s.close();
  await svc.close();
});

async function props(path: string): Promise<{ vapid: string; topic: string; token: string }> {
  const res = await alice(path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:P="https://bitfire.at/webdav-push"><D:prop><P:transports/><P:topic/><D:sync-token/></D:prop></D:propfind>',
  });
  const t = await res.text();
  const get = (re: RegExp): string => re.exec(t)?.[1] ?? '';
  return {
    vapid: get(/<P:vapid-public-key[^>]*>([^<]+)</),
    topic: get(/<P:topic>([^<]+)</),
    token: get(/<D:sync-token>([^<]+)</),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it holds, at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

const idOf = (location: string): string => location.slice(location.lastIndexOf('/') + 1);

let n = 0;
const put = (headers: Record<string, string> = {}, path = CAL) =>
  alice(`${path}ev${++n}.ics`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/calendar', ...headers },
    body: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:ev${n}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  });

async function registered(sub: Subscription, path = CAL, trigger?: string): Promise<string> {
  const res = await alice(path, { method: 'POST', headers: XML, body: registerBody(sub, trigger) });
  assert.equal(res.status, 201, await res.text());
  return res.headers.get('location') ?? '';
}

describe('push delivery (draft § Push Notification, RFC 8291, RFC 8292)', () => {
  it('a PUT reaches the push service once: VAPID JWT valid, body decrypts to push-message with the topic and the new sync-token, TTL and Urgency set', async () => {
    const sub = svc.subscribe();
    await registered(sub);
    assert.equal((await put()).status, 201);
    assert.ok(await svc.until(() => svc.to(sub).length >= 1), `no message; errors: ${svc.errors.join('; ')}`);
    const { topic, token } = await props(CAL);
    const [m] = svc.to(sub);
    assert.deepEqual(svc.errors, []);
    assert.match(m!.xml, /^<\?xml[^>]*\?>\s*<P:push-message xmlns:P="https:\/\/bitfire\.at\/webdav-push"/);
    assert.ok(m!.xml.includes(`<P:topic>${topic}</P:topic>`), m!.xml);
    assert.ok(m!.xml.includes(`<P:content-update><D:sync-token>${token}</D:sync-token></P:content-update>`), m!.xml);
    assert.equal(m!.jwt.aud, svc.origin);
    assert.ok(Number(m!.headers.ttl) > 0);
    assert.equal(m!.headers.urgency, 'normal');
    // RFC 8030 §5.4: a Topic of at most 32 base64url characters that is not the collection's
    // push topic itself (the push service sees it).
    assert.match(String(m!.headers.topic), /^[A-Za-z0-9_-]{1,32}$/);
    assert.notEqual(m!.headers.topic, topic);
    await sleep(200);
    assert.equal(svc.to(sub).length, 1, 'exactly one message');
  });

  it('a new calendar in the home notifies the home registration; a property change notifies property-update', async () => {
    const home = svc.subscribe();
    await registered(home, '/dav/calendars/alice/');
    const mk = await alice('/dav/calendars/alice/second/', { method: 'MKCALENDAR' });
    assert.equal(mk.status, 201);
    assert.ok(await svc.until(() => svc.to(home).length >= 1));
    assert.match(svc.to(home)[0]!.xml, /<P:content-update>/);
    const prop = svc.subscribe();
    await registered(
      prop,
      '/dav/calendars/alice/second/',
      '<P:property-update><D:depth>0</D:depth></P:property-update>',
    );
    await alice('/dav/calendars/alice/second/', {
      method: 'PROPPATCH',
      headers: XML,
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Renamed</D:displayname></D:prop></D:set></D:propertyupdate>',
    });
    assert.ok(await svc.until(() => svc.to(prop).length >= 1));
    assert.match(svc.to(prop)[0]!.xml, /<P:property-update\/>/);
    assert.doesNotMatch(svc.to(prop)[0]!.xml, /content-update/);
    assert.equal(svc.to(prop)[0]!.headers.urgency, 'low');
  });
});

describe('push suppression and invalid subscriptions (draft § Suppressing Notifications, § Removal of Invalid Subscriptions)', () => {
  it('Push-Dont-Notify with a registration URL spares that registration only; "*" spares all', async () => {
    const mine = svc.subscribe();
    const other = svc.subscribe();
    const mineUrl = await registered(mine);
    await registered(other);
    await put({ 'Push-Dont-Notify': `"${mineUrl}"` });
    assert.ok(await svc.until(() => svc.to(other).length >= 1));
    await put({ 'Push-Dont-Notify': '*' });
    await sleep(300);
    assert.equal(svc.to(mine).length, 0);
    assert.equal(svc.to(other).length, 1);
    await put();
    assert.ok(await svc.until(() => svc.to(mine).length >= 1 && svc.to(other).length >= 2));
  });

  it('a subscription answered 410 is dropped; 503 is retried after a back-off and then delivered', async () => {
    const gone = svc.subscribe();
    const goneUrl = await registered(gone);
    svc.answers.set(new URL(gone.pushResource).pathname, { status: 410 });
    const flaky = svc.subscribe();
    await registered(flaky);
    svc.answers.set(new URL(flaky.pushResource).pathname, { status: 503, retryAfter: '0' });
    await put();
    assert.ok(await svc.until(() => svc.to(gone).length >= 1 && svc.to(flaky).length >= 1));
    assert.ok(await eventually(async () => (await s.store.getPushRegistration(idOf(goneUrl))) === null), 'dropped');
    svc.answers.delete(new URL(flaky.pushResource).pathname);
    // The retry (back-off 100 ms in this server) delivers the collection's current sync-token.
    assert.ok(await svc.until(() => svc.to(flaky).length >= 2, 4000), 'retried');
    assert.ok(svc.to(flaky)[1]!.xml.includes((await props(CAL)).token));
  });

  it('a push resource on a private address is never contacted: the registration is dropped', async () => {
    const sub = svc.subscribe();
    const res = await alice(CAL, {
      method: 'POST',
      headers: XML,
      body: registerBody({ ...sub, pushResource: 'https://10.1.2.3/push/x' }),
    });
    assert.equal(res.status, 201);
    const location = res.headers.get('location') ?? '';
    await put();
    assert.ok(await eventually(async () => (await s.store.getPushRegistration(idOf(location))) === null), 'dropped');
  });
});

describe('removal and replacement (draft § Content Updates, § Push Message; RFC 8030 §5.4)', () => {
  it('deleting a subscribed calendar sends its registrations one content-update without sync-token, then none', async () => {
    const path = '/dav/calendars/alice/doomed/';
    assert.equal((await alice(path, { method: 'MKCALENDAR' })).status, 201);
    const { topic } = await props(path);
    const sub = svc.subscribe();
    const spared = svc.subscribe();
    const location = await registered(sub, path);
    const sparedUrl = await registered(spared, path);
    const res = await alice(path, { method: 'DELETE', headers: { 'Push-Dont-Notify': `"${sparedUrl}"` } });
    assert.equal(res.status, 204);
    assert.ok(await svc.until(() => svc.to(sub).length >= 1), `no message; errors: ${svc.errors.join('; ')}`);
    const [m] = svc.to(sub);
    assert.ok(m!.xml.includes(`<P:topic>${topic}</P:topic>`), m!.xml);
    assert.match(m!.xml, /<P:content-update\/>/);
    assert.doesNotMatch(m!.xml, /sync-token/);
    assert.equal(await s.store.getPushRegistration(idOf(location)), null, 'the registration went with the calendar');
    await sleep(200);
    assert.equal(svc.to(sub).length, 1, 'exactly one message');
    assert.equal(svc.to(spared).length, 0, 'Push-Dont-Notify spares it');
  });

  it('content-only, property-only and both carry three different Topic headers, the same for every change of a kind', async () => {
    const path = '/dav/calendars/alice/topics/';
    assert.equal((await alice(path, { method: 'MKCALENDAR' })).status, 201);
    const sub = svc.subscribe();
    await registered(
      sub,
      path,
      '<P:content-update><D:depth>1</D:depth></P:content-update><P:property-update><D:depth>0</D:depth></P:property-update>',
    );
    const proppatch = () =>
      alice(path, {
        method: 'PROPPATCH',
        headers: XML,
        body: `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>T${n++}</D:displayname></D:prop></D:set></D:propertyupdate>`,
      });
    for (const step of [() => put({}, path), () => put({}, path), proppatch]) {
      const before = svc.to(sub).length;
      await step();
      assert.ok(await svc.until(() => svc.to(sub).length > before));
    }
    const topics = svc.to(sub).map((r) => String(r.headers.topic));
    // A PROPPATCH changes the collection's properties and (as a member of its parent) nothing in it.
    assert.equal(topics[0], topics[1], 'two content updates share a topic');
    assert.notEqual(topics[2], topics[0], 'a property update never replaces a content update');
    for (const t of topics) assert.match(t, /^[A-Za-z0-9_-]{1,32}$/);
  });
});
