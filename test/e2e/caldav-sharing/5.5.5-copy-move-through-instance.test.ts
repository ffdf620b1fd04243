/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9) whose Destination lies in a sharee's instance: it names
 * the shared calendar's member, so a rename inside the instance, and a copy or move of the
 * sharee's own event into it, land in the shared calendar (never at the instance's path in the
 * sharee's home). caldav-sharing §5.5.5 item 2: a sharee cannot move an event out of a shared
 * calendar (a copy is fine). The instance itself is no destination, and a read-only sharee may
 * not place anything in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { shareAndAccept } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const event = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
  `DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('COPY/MOVE with a Destination through a sharee’s instance', () => {
  let server: TestServer;
  let rw = ''; // dave's read-write instance
  let ro = ''; // bob's read-only instance
  const alice = () => davFetch(server.url, 'alice');
  const dave = () => davFetch(server.url, 'dave');
  const transfer = (who: () => ReturnType<typeof davFetch>, method: 'COPY' | 'MOVE', from: string, to: string) =>
    who()(from, { method, headers: { Destination: `${server.url}${to}`, Overwrite: 'T' } });
  const status = async (who: () => ReturnType<typeof davFetch>, path: string) => (await who()(path)).status;

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', dave: 'dave-pw' } });
    assert.equal((await alice()(SHARED, { method: 'MKCALENDAR' })).status, 201);
    assert.equal((await alice()(`${SHARED}e1.ics`, { method: 'PUT', headers: ICS, body: event('e1') })).status, 201);
    rw = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
    ro = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
  });
  after(async () => server.close());

  it('a MOVE within the instance renames the member of the shared calendar; Location names the instance', async () => {
    const res = await transfer(dave, 'MOVE', `${rw}e1.ics`, `${rw}renamed.ics`);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `${rw}renamed.ics`);
    assert.equal(await status(alice, `${SHARED}renamed.ics`), 200);
    assert.equal(await status(alice, `${SHARED}e1.ics`), 404);
  });

  it('§5.5.5 item 2: a sharee’s MOVE out of the shared calendar is refused; a COPY out is allowed', async () => {
    const moved = await transfer(dave, 'MOVE', `${rw}renamed.ics`, '/dav/calendars/dave/default/taken.ics');
    assert.equal(moved.status, 403);
    assert.equal(await status(alice, `${SHARED}renamed.ics`), 200);
    assert.equal(await status(dave, '/dav/calendars/dave/default/taken.ics'), 404);
    const copied = await transfer(dave, 'COPY', `${rw}renamed.ics`, '/dav/calendars/dave/default/copy.ics');
    assert.equal(copied.status, 201);
    assert.equal(await status(dave, '/dav/calendars/dave/default/copy.ics'), 200);
    assert.equal(await status(alice, `${SHARED}renamed.ics`), 200);
  });

  it('the sharee’s own events copied or moved into the instance land in the shared calendar', async () => {
    for (const uid of ['own1', 'own2'])
      assert.equal(
        (await dave()(`/dav/calendars/dave/default/${uid}.ics`, { method: 'PUT', headers: ICS, body: event(uid) }))
          .status,
        201,
      );
    assert.equal((await transfer(dave, 'COPY', '/dav/calendars/dave/default/own1.ics', `${rw}own1.ics`)).status, 201);
    assert.equal((await transfer(dave, 'MOVE', '/dav/calendars/dave/default/own2.ics', `${rw}own2.ics`)).status, 201);
    assert.match(await (await alice()(`${SHARED}own1.ics`)).text(), /UID:own1/);
    assert.match(await (await alice()(`${SHARED}own2.ics`)).text(), /UID:own2/);
    assert.equal(await status(dave, '/dav/calendars/dave/default/own2.ics'), 404);
    // Nothing was stored at the instance's path in dave's home.
    const instancePath = decodeURIComponent(rw.replace(/^\/dav/, '').replace(/\/$/, ''));
    assert.equal(await server.store.getResource(`${instancePath}/own1.ics`), null);
    assert.equal(await server.store.getResource(instancePath), null);
  });

  it('the instance itself is no Destination, and a read-only sharee places nothing in theirs', async () => {
    const res = await transfer(dave, 'COPY', '/dav/calendars/dave/default/', rw);
    assert.equal(res.status, 403);
    assert.equal(await status(alice, `${SHARED}own1.ics`), 200, 'the shared calendar is untouched');
    const bob = () => davFetch(server.url, 'bob');
    assert.equal(
      (await bob()('/dav/calendars/bob/default/b1.ics', { method: 'PUT', headers: ICS, body: event('b1') })).status,
      201,
    );
    const refused = await transfer(bob, 'COPY', '/dav/calendars/bob/default/b1.ics', `${ro}b1.ics`);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /need-privileges/);
    assert.equal(await status(alice, `${SHARED}b1.ics`), 404);
  });
});
