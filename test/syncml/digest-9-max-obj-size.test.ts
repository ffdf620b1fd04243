/**
 * Digest §9 (MetInf 1.2 MaxObjSize; RepPro 1.2 §10 statuses 413/416): an item larger than the
 * device's MaxObjSize is not sent but logged and kept pending until a later session with a
 * larger limit; an incoming object over the server's own limit is refused with 416 (announced
 * Size) or 413 (actual bytes), and never stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { dataText, Device, ICAL, itemStatuses, makeServer, serverItems } from './driver.js';

describe('digest §9: MaxObjSize', () => {
  let t: TestServer;
  let big: string;
  let small: string;
  let alice: { id: number; name: string };
  before(async () => {
    t = await startTestServer();
    const u = await t.store.getUserByName('alice');
    alice = { id: u!.id, name: 'alice' };
    const items = syncmlPorts(t.store).items;
    big = (
      await items.put(
        { id: u!.id, name: 'alice' },
        '/calendars/alice/default',
        null,
        ICAL('big-1', `DESCRIPTION:${'x'.repeat(3000)}`),
        'dav',
      )
    ).name;
    small = (await items.put({ id: u!.id, name: 'alice' }, '/calendars/alice/default', null, ICAL('small-1'), 'dav'))
      .name;
  });
  after(async () => t.close());

  /** A first session of `device` with MaxObjSize 1500: what the server sent, and what it logged. */
  async function firstSession(device: string): Promise<{ sent: string[]; logs: string[] }> {
    const logs: string[] = [];
    const dev = new Device(makeServer(t.store, { logs }), device, '1', { maxObjSize: 1500 });
    await dev.pkg1(null, undefined, 'a1');
    const sent = serverItems(await dev.pkg3([])).map((x) => x.item.source?.locURI ?? '');
    await dev.pkg5([[small, 'l-small']]);
    return { sent, logs };
  }

  it('§9: an item over the device MaxObjSize (SyncHdr Meta) is not sent, is logged, and stays pending', async () => {
    const { sent, logs } = await firstSession('tiny-phone');
    assert.deepEqual(sent, [small], 'only the small item goes');
    assert.ok(
      logs.some((l) => l.includes(big) && l.includes('MaxObjSize')),
      'the skipped item is logged',
    );
  });

  it('§9: the next session, with a larger limit (Alert Meta), sends the pending item', async () => {
    assert.deepEqual((await firstSession('tiny-phone-2')).sent, [small]);
    const dev = new Device(makeServer(t.store), 'tiny-phone-2', '2', { maxObjSize: 1500 });
    await dev.pkg1(null, 'a1', 'a2', { maxObjSize: 100_000 });
    const sent = serverItems(await dev.pkg3([]));
    assert.deepEqual(
      sent.map((x) => [x.kind, x.item.source?.locURI]),
      [['Add', big]],
    );
    assert.match(dataText(sent[0]!.item), /DESCRIPTION:x{100}/);
    await dev.pkg5([[big, 'l-big']]);
    const again = new Device(makeServer(t.store), 'tiny-phone-2', '3');
    await again.pkg1(null, 'a2', 'a3');
    assert.deepEqual(serverItems(await again.pkg3([])), [], 'sent once, then no longer pending');
  });

  it('§9: the server announces its MaxObjSize; a larger incoming item gets 413, a larger announced Size 416, nothing stored', async () => {
    const server = makeServer(t.store, { maxObjSize: 2000 });
    const dev = new Device(server, 'sender-phone', '1');
    const p2 = await dev.pkg1(null, undefined, 's1');
    assert.equal(p2.hdr.meta?.maxObjSize, 2000);
    const before = (await syncmlPorts(t.store).items.list(alice, '/calendars/alice/default', 'VEVENT')).length;
    const type = { type: 'text/calendar', version: '2.0' };
    const r = await dev.pkg3([
      {
        kind: 'Add',
        meta: type,
        items: [{ source: { locURI: 'c1' }, data: ICAL('in-big', `DESCRIPTION:${'y'.repeat(2500)}`) }],
      },
      {
        kind: 'Add',
        meta: type,
        items: [{ source: { locURI: 'c2' }, meta: { size: 5000 }, data: 'BEGIN:VCALENDAR\r\n', moreData: true }],
      },
      { kind: 'Add', meta: type, items: [{ source: { locURI: 'c2' }, data: 'END:VCALENDAR\r\n' }] },
      {
        kind: 'Add',
        meta: type,
        items: [{ source: { locURI: 'c3' }, data: ICAL('in-small', '', 'VEVENT', '20270505T100000Z') }],
      },
    ]);
    assert.deepEqual(itemStatuses(r, 'Add'), [413, 416, 416, 201]);
    const after = (await syncmlPorts(t.store).items.list(alice, '/calendars/alice/default', 'VEVENT')).length;
    assert.equal(after, before + 1, 'only the small item was stored');
  });
});
