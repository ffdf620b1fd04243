/**
 * RFC 4791 §5.2 through SyncML (digest §12): a SyncML write meets the target calendar's own
 * settings, read as CalDAV PUT reads them (domain/calendar/settings.ts), not fixed constants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StoreSyncItems } from '../../src/domain/syncml/sync-items.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ICAL, itemStatus } from './driver.js';

const CAL = '/calendars/alice/default';

describe('RFC 4791 §5.2: SyncML writes meet the calendar collection settings', () => {
  let t: TestServer;
  let user: { id: number; name: string };
  const status = itemStatus;
  before(async () => {
    t = await startTestServer();
    const u = await t.store.getUserByName('alice');
    user = { id: u!.id, name: 'alice' };
  });
  after(async () => t.close());

  it('§5.2.3: without supported-calendar-component-set the default calendar takes every component type, VJOURNAL included', async () => {
    const items = new StoreSyncItems(t.store);
    assert.equal(await status(items.put(user, CAL, null, ICAL('j1', '', 'VJOURNAL'), 'syncml:x')), 0);
    assert.equal(await status(items.put(user, CAL, null, ICAL('e1'), 'syncml:x')), 0);
  });

  it('§5.2.3: a calendar made for VTODO only refuses a VEVENT with 415', async () => {
    const coll = await t.store.getResource(CAL);
    await t.store.transaction(['/calendars/alice'], (tx) =>
      tx.patchProperties(
        coll!.id,
        [
          {
            name: '{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set',
            xml: '<C:supported-calendar-component-set xmlns:C="urn:ietf:params:xml:ns:caldav"><C:comp name="VTODO"/></C:supported-calendar-component-set>',
          },
        ],
        [],
      ),
    );
    const items = new StoreSyncItems(t.store);
    assert.equal(await status(items.put(user, CAL, null, ICAL('e2'), 'syncml:x')), 415);
    assert.equal(await status(items.put(user, CAL, null, ICAL('t2', '', 'VTODO'), 'syncml:x')), 0);
    await t.store.transaction(['/calendars/alice'], (tx) =>
      tx.patchProperties(coll!.id, [], ['{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set']),
    );
  });

  it('§5.2.5: max-resource-size follows the server upload limit: 416', async () => {
    const items = new StoreSyncItems(t.store, { maxUploadBytes: 400 });
    assert.equal(
      await status(items.put(user, CAL, null, ICAL('e3', `DESCRIPTION:${'z'.repeat(500)}`), 'syncml:x')),
      416,
    );
  });

  it('§5.2.6: before min-date-time is refused (403)', async () => {
    const items = new StoreSyncItems(t.store);
    assert.equal(
      await status(items.put(user, CAL, null, ICAL('e4', '', 'VEVENT', '18000101T000000Z'), 'syncml:x')),
      403,
    );
  });

  it('§5.2.8: more than max-instances is refused (403)', async () => {
    const items = new StoreSyncItems(t.store);
    assert.equal(await status(items.put(user, CAL, null, ICAL('e5', 'RRULE:FREQ=DAILY;COUNT=20000'), 'syncml:x')), 403);
  });
});
