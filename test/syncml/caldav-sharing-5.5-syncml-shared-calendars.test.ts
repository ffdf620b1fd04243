/**
 * caldav-sharing §5.5 (a sharee's instance of a shared calendar) over SyncML: a phone whose
 * `calendar` database is routed to the user's instance (`almanac syncml route … /calendars/bob/<uid>`)
 * syncs the shared collection itself, with the sharee's privileges evaluated as for a DAV request
 * (RFC 3744 §3; RepPro 1.2 §10: 425 Permission denied):
 * - a read-write sharee's phone gets the owner's events and its Add lands in the shared calendar,
 *   where the owner sees it;
 * - a read-only sharee's phone gets the events, with the sharee's own alarms in place of the
 *   owner's (§5.5.4), and its Add is refused 425 with nothing stored;
 * - once the share is removed the instance is gone: the next Alert is 404 and nothing is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import type { Command } from '../../src/formats/syncml/model.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { post as davPost, shareAndAccept, unshareBody } from '../e2e/caldav-sharing/sharing-steps.js';
import { ICAL } from './driver.js';
import { basicCred, message, post, sentItems, statuses, type Answer } from './http-client.js';

const SHARED = '/dav/calendars/alice/work/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const ALICE_ALARM = 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:alice-alarm\r\nTRIGGER:-PT15M\r\nEND:VALARM';
const CAROL_ALARM = 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:carol-alarm\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n';

/** A slow sync (201) of the phone's `calendar` database. */
function alertCalendar(): Command {
  return {
    kind: 'Alert',
    cmdId: '1',
    data: 201,
    items: [{ target: { locURI: 'calendar' }, source: { locURI: './cal' }, meta: { anchor: { next: 'n1' } } }],
  };
}

/** Package 3: the phone adds one event. */
function syncAddEvent(luid: string, text: string): Command {
  return {
    kind: 'Sync',
    cmdId: '2',
    target: { locURI: 'calendar' },
    source: { locURI: './cal' },
    commands: [
      { kind: 'Add', cmdId: '3', meta: { type: 'text/calendar' }, items: [{ source: { locURI: luid }, data: text }] },
    ],
  };
}

const decoder = new TextDecoder();
const itemText = (a: Answer): string =>
  sentItems(a.msg)
    .map((i) => (typeof i.data === 'string' ? i.data : ''))
    .join('\n');

describe('caldav-sharing §5.5 over SyncML: a phone syncs its user’s instance of a shared calendar', () => {
  let server: TestServer;
  const alice = () => davFetch(server.url, 'alice');
  const instance = new Map<string, string>();

  /** Route `user`'s device `device` to their instance of the shared calendar, as the CLI does. */
  async function route(user: string, device: string): Promise<void> {
    const u = await server.store.getUserByName(user);
    assert.ok(u);
    const path = (instance.get(user) ?? '').replace(/^\/dav/, '').replace(/\/$/, '');
    const info = await syncmlPorts(server.store).items.collection({ id: u.id, name: user }, path);
    assert.equal(info?.path, '/calendars/alice/work', 'the instance resolves to the shared collection');
    await syncmlPorts(server.store).state.putDevice({
      userId: u.id,
      deviceId: device,
      info: JSON.stringify({ routes: { calendar: path } }),
      createdAt: Date.now(),
      lastSyncAt: null,
    });
  }

  /** One slow sync from `device` of `user` that adds `text`: the server's package 2 and 4. */
  async function slowSyncAdding(user: string, device: string, text: string): Promise<{ p2: Answer; p4: Answer }> {
    const cred = basicCred(user, `${user}-pw`);
    const p2 = await post(
      server.url,
      message({ device, sessionId: '1', msgId: '1', cred, commands: [alertCalendar()] }),
    );
    const p4 = await post(
      server.url,
      message({ device, sessionId: '1', msgId: '2', commands: [syncAddEvent('phone-1', text)] }),
      p2.next,
    );
    return { p2, p4 };
  }

  async function aliceMembers(): Promise<string> {
    const res = await alice()(SHARED, {
      method: 'REPORT',
      headers: { 'Content-Type': 'application/xml', Depth: '1' },
      body:
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop>' +
        '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>',
    });
    assert.equal(res.status, 207);
    return res.text();
  }

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    assert.equal((await alice()(SHARED, { method: 'MKCALENDAR' })).status, 201);
    const e1 = ICAL('shared-e1', `SUMMARY:Team offsite\r\n${ALICE_ALARM}`).replace('SUMMARY:test\r\n', '');
    assert.equal((await alice()(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: e1 })).status, 201);
    instance.set('bob', await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read-write'));
    instance.set('carol', await shareAndAccept(server.url, 'alice', SHARED, 'carol', 'read'));
    // Carol, read-only, keeps her own alarm (§5.5.4), through her instance over DAV.
    const carol = davFetch(server.url, 'carol');
    const got = await carol(`${instance.get('carol')}e1.ics`);
    const etag = got.headers.get('etag') ?? '';
    const mine = (await got.text()).replace('END:VEVENT', `${CAROL_ALARM}END:VEVENT`);
    const put = await carol(`${instance.get('carol')}e1.ics`, {
      method: 'PUT',
      headers: { ...ICS, 'If-Match': etag },
      body: mine,
    });
    assert.equal(put.status, 204, await put.text());
    await route('bob', 'bob-phone');
    await route('carol', 'carol-phone');
  });
  after(async () => server.close());

  it('a read-write sharee’s phone gets the owner’s event and its Add lands in the shared calendar', async () => {
    const { p2, p4 } = await slowSyncAdding('bob', 'bob-phone', ICAL('from-bobs-phone', 'LOCATION:phone'));
    assert.deepEqual(statuses(p2.msg, 'Alert'), [200]);
    assert.deepEqual(statuses(p4.msg, 'Add'), [201]);
    assert.match(itemText(p4), /Team offsite/);
    const owner = await aliceMembers();
    assert.match(owner, /from-bobs-phone/, 'the owner sees the sharee’s phone event');
  });

  it('a read-only sharee’s phone gets the event with her own alarm, and her Add is refused 425', async () => {
    const { p2, p4 } = await slowSyncAdding(
      'carol',
      'carol-phone',
      // Unlike bob's phone event, so a slow sync cannot match it to that (digest §7).
      ICAL('from-carols-phone', 'LOCATION:carol', 'VEVENT', '20270301T090000Z').replace(
        'SUMMARY:test',
        'SUMMARY:Carol',
      ),
    );
    assert.deepEqual(statuses(p2.msg, 'Alert'), [200]);
    assert.deepEqual(statuses(p4.msg, 'Add'), [425]);
    const sent = itemText(p4);
    assert.match(sent, /Team offsite/);
    assert.match(sent, /carol-alarm/, 'the sharee’s own alarm (§5.5.4)');
    assert.doesNotMatch(sent, /alice-alarm/, 'not the owner’s');
    assert.doesNotMatch(await aliceMembers(), /from-carols-phone/);
  });

  it('after the share is removed, the next Alert is 404 and nothing of the calendar is sent', async () => {
    const res = await davPost(server.url, 'alice', SHARED, unshareBody('mailto:bob@example.com'));
    assert.equal(res.status, 200);
    const { p2, p4 } = await slowSyncAdding('bob', 'bob-phone', ICAL('after-unshare'));
    assert.deepEqual(statuses(p2.msg, 'Alert'), [404]);
    assert.doesNotMatch(decoder.decode(p2.raw) + decoder.decode(p4.raw), /Team offsite/);
    assert.doesNotMatch(await aliceMembers(), /after-unshare/);
  });
});
