/**
 * RFC 6638 §4 leaves processing of incoming scheduling messages to the server: Almanac processes
 * them into the attendee's calendar unless the user chose to take new invitations in by hand
 * (`almanac calendar invitations USER inbox`, the web app's setting). Then a new invitation waits
 * in the scheduling inbox; a client that reads the inbox (Apple Calendar, the web app) accepts it
 * by PUTting it into a calendar (§3.2.2: the REPLY goes out), and later updates from the organizer
 * are applied to that copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { autoProcessEnabled, setAutoProcess } from '../../../src/domain/scheduling/index.js';
import type { User } from '../../../src/store/types.js';
import type { TestServer } from '../../helpers/server.js';
import {
  ICS,
  inboxBodies,
  invitation,
  startSchedulingServer,
  unfold,
  type SchedulingServer,
} from './scheduling-server.js';

let server: TestServer;
let as: SchedulingServer['as'];
let bob: User;
before(async () => {
  ({ server, as } = await startSchedulingServer());
  bob = (await server.store.getUserByName('bob'))!;
});
after(() => server.close());

const body = async (res: Response): Promise<string> => unfold(await res.text());

describe('RFC 6638 §4: a user who takes invitations in by hand', () => {
  it('is on by default and can be turned off per user', async () => {
    assert.equal(await autoProcessEnabled(server.store, bob), true);
    await setAutoProcess(server.store, bob, false);
    assert.equal(await autoProcessEnabled(server.store, bob), false);
    const carol = (await server.store.getUserByName('carol'))!;
    assert.equal(await autoProcessEnabled(server.store, carol), true, 'the setting is per user');
  });

  it('a new invitation waits in the inbox only; the organizer sees it delivered; others are processed as before', async () => {
    const res = await as.alice('/dav/calendars/alice/default/hand1.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('hand1', ['bob@example.com', 'carol@example.com']),
    });
    assert.equal(res.status, 201);
    const messages = await inboxBodies(server.store, 'bob');
    assert.equal(messages.filter((m) => /METHOD:REQUEST/.test(m) && /UID:hand1/.test(m)).length, 1);
    assert.equal((await as.bob('/dav/calendars/bob/default/hand1.ics')).status, 404, 'no copy in his calendar');
    assert.equal((await as.carol('/dav/calendars/carol/default/hand1.ics')).status, 200, 'carol is processed');
    const organizer = await body(await as.alice('/dav/calendars/alice/default/hand1.ics'));
    assert.match(organizer, /SCHEDULE-STATUS=1\.2:mailto:bob@example\.com/);
  });

  it("§3.2.2: the client accepts by PUTting the invitation into a calendar: the organizer's copy shows the REPLY", async () => {
    const [request] = (await inboxBodies(server.store, 'bob')).filter((m) => /UID:hand1/.test(m));
    const accepted = request!
      .replace(/METHOD:REQUEST\r\n/, '')
      .replace(/PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example\.com/, 'PARTSTAT=ACCEPTED:mailto:bob@example.com');
    const put = await as.bob('/dav/calendars/bob/default/hand1.ics', { method: 'PUT', headers: ICS, body: accepted });
    assert.equal(put.status, 201);
    const organizer = await body(await as.alice('/dav/calendars/alice/default/hand1.ics'));
    assert.match(organizer, /PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2\.0:mailto:bob@example\.com/);
  });

  it('an update from the organizer is applied to the copy the user took in', async () => {
    const res = await as.alice('/dav/calendars/alice/default/hand1.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('hand1', ['bob@example.com', 'carol@example.com'], '20270112T090000Z'),
    });
    assert.equal(res.status, 204);
    const copy = await body(await as.bob('/dav/calendars/bob/default/hand1.ics'));
    assert.match(copy, /DTSTART:20270112T090000Z/);
  });

  it('turned on again, new invitations go straight into the calendar', async () => {
    await setAutoProcess(server.store, bob, true);
    await as.alice('/dav/calendars/alice/default/hand2.ics', {
      method: 'PUT',
      headers: ICS,
      body: invitation('hand2', ['bob@example.com']),
    });
    assert.equal((await as.bob('/dav/calendars/bob/default/hand2.ics')).status, 200);
  });
});
