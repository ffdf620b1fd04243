/**
 * Web Push to the web app's browsers (issue #18 item 4; RFC 8030 push, RFC 8291 encryption,
 * RFC 8292 VAPID): a browser subscription registered through /app, an invitation arriving in
 * the scheduling inbox (RFC 6638 §4) and a reminder falling due (RFC 5545 §3.6.6 VALARM) each
 * reach the loopback push service, which checks the VAPID JWT and decrypts the JSON payload
 * independently (../webdav-push/push-service.ts). Two servers on one store stand for two
 * nodes: each reminder is sent once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { PushService, type Subscription } from '../webdav-push/push-service.js';

let s: TestServer;
let second: TestServer;
let svc: PushService;
const CONFIG = { pushTestLoopback: true, pushRetryBaseMs: 100, pushAlarmScanMs: 300 };

before(async () => {
  svc = await PushService.start();
  s = await startTestServer({ config: CONFIG, users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  // A second node on the same database (the store's rows are shared; its own delivery and reminders).
  second = await startTestServer({ config: CONFIG, store: s.store, users: {} });
});
after(async () => {
  await second.close();
  await s.close();
  await svc.close();
});

type Session = Record<string, string>;

async function login(user: string): Promise<Session> {
  const res = await fetch(`${s.url}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password: `${user}-pw` }),
  });
  assert.equal(res.status, 200);
  return {
    Cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!,
    'X-Almanac-CSRF': ((await res.json()) as { csrf: string }).csrf,
    'Content-Type': 'application/json',
  };
}

const app = (h: Session, path: string, method = 'GET', body?: unknown) =>
  fetch(`${s.url}${path}`, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

const subscriptionBody = (sub: Subscription, label = 'Chromium on Linux') => ({
  endpoint: sub.pushResource,
  keys: { p256dh: sub.publicKey, auth: sub.authSecret },
  label,
});

async function subscribed(h: Session, sub: Subscription): Promise<string> {
  const res = await app(h, '/app/push/subscriptions', 'POST', subscriptionBody(sub));
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const payloads = (sub: Subscription) => svc.to(sub).map((r) => JSON.parse(r.xml) as Record<string, unknown>);

let alice: Session;
let bob: Session;

describe('browser subscriptions (/app/push)', () => {
  it('GET gives the VAPID key WebDAV-Push advertises and the settings; POST adds one row per browser; DELETE revokes it', async () => {
    alice = await login('alice');
    bob = await login('bob');
    const view = (await (await app(alice, '/app/push')).json()) as {
      vapidPublicKey: string;
      settings: { invitations: boolean; alarms: boolean };
      subscriptions: unknown[];
    };
    const propfind = await davFetch(s.url)('/dav/calendars/alice/default/', {
      method: 'PROPFIND',
      headers: { Depth: '0', 'Content-Type': 'application/xml' },
      body: '<D:propfind xmlns:D="DAV:" xmlns:P="https://bitfire.at/webdav-push"><D:prop><P:transports/></D:prop></D:propfind>',
    });
    svc.vapidKey = /<P:vapid-public-key[^>]*>([^<]+)</.exec(await propfind.text())?.[1] ?? '';
    assert.equal(view.vapidPublicKey, svc.vapidKey);
    assert.deepEqual(view.settings, { invitations: true, alarms: true });
    assert.deepEqual(view.subscriptions, []);
    const sub = svc.subscribe();
    const id = await subscribed(alice, sub);
    const again = await app(alice, '/app/push/subscriptions', 'POST', subscriptionBody(sub, 'renamed'));
    assert.equal(again.status, 200, 'the same endpoint updates its row');
    assert.deepEqual(await again.json(), { id });
    const list = (await (await app(alice, '/app/push')).json()) as { subscriptions: { id: string; label: string }[] };
    assert.deepEqual(
      list.subscriptions.map((x) => [x.id, x.label]),
      [[id, 'renamed']],
    );
    assert.equal((await app(bob, `/app/push/subscriptions/${id}`, 'DELETE')).status, 404, "not bob's to revoke");
    assert.equal((await app(alice, `/app/push/subscriptions/${id}`, 'DELETE')).status, 204);
    assert.equal((await app(alice, `/app/push/subscriptions/${id}`, 'DELETE')).status, 404);
    assert.equal((await fetch(`${s.url}/app/push`)).status, 401, 'only with a session');
  });

  it('an endpoint that is not https, has credentials, or keys of the wrong size is 400; more than 20 browsers is 409', async () => {
    const sub = svc.subscribe();
    for (const bad of [
      { ...subscriptionBody(sub), endpoint: 'http://push.example.com/x' },
      { ...subscriptionBody(sub), endpoint: 'https://u:p@push.example.com/x' },
      { ...subscriptionBody(sub), keys: { p256dh: sub.publicKey.slice(4), auth: sub.authSecret } },
      { ...subscriptionBody(sub), keys: { p256dh: sub.publicKey, auth: 'AAAA' } },
      { label: 'no endpoint' },
    ])
      assert.equal((await app(alice, '/app/push/subscriptions', 'POST', bad)).status, 400, JSON.stringify(bad));
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await subscribed(alice, svc.subscribe()));
    assert.equal((await app(alice, '/app/push/subscriptions', 'POST', subscriptionBody(svc.subscribe()))).status, 409);
    for (const id of ids) assert.equal((await app(alice, `/app/push/subscriptions/${id}`, 'DELETE')).status, 204);
  });
});

const invitation = (uid: string, summary: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T000000Z',
    'DTSTART:20270110T100000Z',
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    'LOCATION:Room 4',
    'ORGANIZER;CN=Alice:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
    'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('invitations (RFC 6638 §4 inbox delivery)', () => {
  it("an invitation into bob's inbox reaches each of his browsers, decrypted: title, start, place, organizer; off in the settings, none", async () => {
    const phone = svc.subscribe();
    const laptop = svc.subscribe();
    await subscribed(bob, phone);
    await subscribed(bob, laptop);
    const dav = davFetch(s.url, 'alice');
    const put = await dav('/dav/calendars/alice/default/plan.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: invitation('plan-1', 'Planning'),
    });
    assert.equal(put.status, 201);
    assert.ok(await svc.until(() => svc.to(phone).length >= 1 && svc.to(laptop).length >= 1), svc.errors.join('; '));
    assert.deepEqual(svc.errors, []);
    const [m] = payloads(phone);
    assert.equal(m!.kind, 'invitation');
    assert.equal(m!.title, 'Planning');
    assert.equal(m!.start, Date.UTC(2027, 0, 10, 10));
    assert.equal(m!.location, 'Room 4');
    assert.equal(m!.from, 'alice@example.com');
    const headers = svc.to(phone)[0]!.headers;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers.urgency, 'normal');
    assert.match(String(headers.topic), /^[A-Za-z0-9_-]{22}$/);
    assert.doesNotMatch(JSON.stringify(headers), /Planning/, 'nothing readable for the push service');
    const off = await app(bob, '/app/push/settings', 'PUT', { invitations: false, alarms: true });
    assert.deepEqual(await off.json(), { invitations: false, alarms: true });
    await dav('/dav/calendars/alice/default/plan2.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: invitation('plan-2', 'Second'),
    });
    await sleep(400);
    assert.equal(svc.to(phone).length, 1, 'invitations off: nothing more');
    await app(bob, '/app/push/settings', 'PUT', { invitations: true, alarms: true });
  });
});

const withAlarm = (uid: string, start: Date, trigger: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261201T000000Z',
    `DTSTART:${start.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`,
    'DURATION:PT1H',
    'SUMMARY:Dentist',
    'LOCATION:Main Street 1',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Dentist',
    `TRIGGER;VALUE=DATE-TIME:${trigger}`,
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

describe('reminders (RFC 5545 §3.6.6 VALARM)', () => {
  it('a reminder due in a second reaches the browser once, with Urgency high, though two nodes read the calendar', async () => {
    const h = await login('carol');
    const user = 'carol';
    const sub = svc.subscribe();
    await subscribed(h, sub);
    const at = Math.ceil((Date.now() + 1500) / 1000) * 1000; // a whole second, as TRIGGER says it
    const start = new Date(at + 3600_000);
    const put = await davFetch(s.url, user)(`/dav/calendars/${user}/default/dentist.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: withAlarm('dentist-1', start, utc(at)),
    });
    assert.equal(put.status, 201);
    assert.ok(await svc.until(() => svc.to(sub).length >= 1, 6000), `no reminder; errors: ${svc.errors.join('; ')}`);
    assert.ok(svc.to(sub)[0]!.at >= at, 'not before it was due');
    const [m] = payloads(sub);
    assert.equal(m!.kind, 'alarm');
    assert.equal(m!.title, 'Dentist');
    assert.equal(m!.location, 'Main Street 1');
    assert.equal(m!.start, start.getTime());
    assert.equal(svc.to(sub)[0]!.headers.urgency, 'high');
    await sleep(1000); // both nodes scan again (every 300 ms) and see the same alarm
    assert.equal(svc.to(sub).length, 1, 'exactly once');
  });

  it('reminders off: none; a browser the push service calls gone (410) is dropped', async () => {
    const sub = svc.subscribe();
    const id = await subscribed(bob, sub);
    await app(bob, '/app/push/settings', 'PUT', { invitations: true, alarms: false });
    const at = Date.now() + 500;
    await davFetch(s.url, 'bob')('/dav/calendars/bob/default/quiet.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: withAlarm('quiet-1', new Date(at + 3600_000), utc(at)),
    });
    await sleep(1500);
    assert.equal(svc.to(sub).length, 0, 'alarms off');
    svc.answers.set(new URL(sub.pushResource).pathname, { status: 410 });
    await davFetch(s.url, 'alice')('/dav/calendars/alice/default/plan3.ics', {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: invitation('plan-3', 'Third'),
    });
    assert.ok(await svc.until(() => svc.to(sub).length >= 1));
    const deadline = Date.now() + 3000;
    let subs: { id: string }[] = [{ id }];
    while (subs.some((x) => x.id === id) && Date.now() < deadline) {
      await sleep(50);
      subs = ((await (await app(bob, '/app/push')).json()) as { subscriptions: { id: string }[] }).subscriptions;
    }
    assert.ok(!subs.some((x) => x.id === id), 'the gone browser was dropped');
  });
});
