/**
 * RFC 6638 §3.2 on every write path: `almanac import` writes through the same domain step as a
 * PUT (cli/import-object.ts importBatch), so an imported meeting organized by the importing user
 * invites its attendees like a CalDAV client's PUT would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importBatch } from '../../../src/cli/import-object.js';
import type { TestServer } from '../../helpers/server.js';
import { inboxBodies, invitation, startSchedulingServer, type SchedulingServer } from './scheduling-server.js';

let server: TestServer;
let as: SchedulingServer['as'];
before(async () => {
  ({ server, as } = await startSchedulingServer());
});
after(() => server.close());

describe('RFC 6638 §3.2.1: almanac import schedules like a PUT', () => {
  it("an imported meeting reaches the attendee's inbox and calendar; the organizer's copy records SCHEDULE-STATUS", async () => {
    const alice = (await server.store.getUserByName('alice'))!;
    const refusals = await importBatch(server.store, '/calendars/alice', { id: alice.id, name: 'alice' }, [
      {
        path: '/calendars/alice/default/imported.ics',
        body: new TextEncoder().encode(invitation('imported', ['bob@example.com'])),
        contentType: 'text/calendar',
      },
    ]);
    assert.deepEqual(refusals, [null]);
    assert.equal((await inboxBodies(server.store, 'bob')).filter((m) => /UID:imported/.test(m)).length, 1);
    assert.equal((await as.bob('/dav/calendars/bob/default/imported.ics')).status, 200);
    const stored = (await (await as.alice('/dav/calendars/alice/default/imported.ics')).text()).replace(
      /\r\n[ \t]/g,
      '',
    );
    assert.match(stored, /SCHEDULE-STATUS=1\.2:mailto:bob@example\.com/);
  });
});
