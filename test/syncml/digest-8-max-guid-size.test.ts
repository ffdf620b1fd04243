/**
 * Digest §8 (OMA DS Protocol 1.2 LUID ⇄ GUID mapping; DevInf 1.2 MaxGUIDSize): when the
 * device's DevInf says its MaxGUIDSize is smaller than our GUIDs, Adds carry short temporary
 * GUIDs, and the device's Map (even in a later session, to another node) resolves them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { clientDevInf, Device, ICAL, makeServer, serverItems } from './driver.js';

const DS = '/calendars/alice/default#VEVENT';

describe('digest §8: MaxGUIDSize and temporary GUIDs', () => {
  let t: TestServer;
  let guid: string;
  let userId: number;
  before(async () => {
    t = await startTestServer();
    const user = await t.store.getUserByName('alice');
    userId = user!.id;
    guid = (
      await syncmlPorts(t.store).items.put(
        { id: userId, name: 'alice' },
        '/calendars/alice/default',
        null,
        ICAL('guid-ev-1'),
        'test',
      )
    ).name;
    assert.ok(guid.length > 8, 'server GUIDs are longer than the device takes');
  });
  after(async () => t.close());

  /** A first session of a device with MaxGUIDSize 8 that maps the one event to `luid`; the Adds sent and the answer to the Map. */
  async function firstSession(device: string, luid: string) {
    const dev = new Device(makeServer(t.store), device, '1');
    await dev.pkg1(clientDevInf(device, 8), undefined, 'a1');
    const adds = serverItems(await dev.pkg3([])).filter((x) => x.kind === 'Add');
    const temp = adds[0]?.item.source?.locURI ?? '';
    // The Map comes to another server instance (another node): nothing may live only in memory.
    dev.server = makeServer(t.store);
    return { adds, temp, pkg6: await dev.pkg5([[temp, luid]]) };
  }

  it('§8: an Add to a device with MaxGUIDSize 8 carries a temporary GUID of at most 8 bytes; its Map resolves to the real GUID', async () => {
    const { adds, temp, pkg6 } = await firstSession('small-guid-phone', 'luid-1');
    assert.equal(adds.length, 1);
    assert.notEqual(temp, guid);
    assert.ok(Buffer.byteLength(temp) <= 8, `temporary GUID ${temp} fits MaxGUIDSize`);
    assert.equal(
      pkg6.commands.find((c) => c.kind === 'Status' && c.cmd === 'Map')?.kind === 'Status'
        ? (pkg6.commands.find((c) => c.kind === 'Status' && c.cmd === 'Map') as { data: number }).data
        : 0,
      200,
    );
    const map = await t.store.listSyncIdMap(userId, 'small-guid-phone', DS);
    assert.deepEqual(
      map.map((m) => [m.guid, m.luid]),
      [[guid, 'luid-1']],
      'the id map holds the real GUID, not the temporary one',
    );
  });

  it('§8: a later Replace addresses the device LUID and leaves out a Source GUID longer than MaxGUIDSize', async () => {
    await firstSession('replace-phone', 'luid-1');
    await syncmlPorts(t.store).items.put(
      { id: userId, name: 'alice' },
      '/calendars/alice/default',
      guid,
      ICAL('guid-ev-1', 'LOCATION:moved'),
      'dav',
    );
    const dev = new Device(makeServer(t.store), 'replace-phone', '2');
    await dev.pkg1(null, 'a1', 'a2');
    const items = serverItems(await dev.pkg3([]));
    assert.equal(items.length, 1);
    assert.equal(items[0]!.kind, 'Replace');
    assert.equal(items[0]!.item.target?.locURI, 'luid-1');
    assert.ok((items[0]!.item.source?.locURI ?? '').length <= 8);
  });

  it('§8: without a MaxGUIDSize (or a large one) the real GUID is sent', async () => {
    const dev = new Device(makeServer(t.store), 'big-guid-phone', '1');
    await dev.pkg1(clientDevInf('big-guid-phone', 64), undefined, 'b1');
    const adds = serverItems(await dev.pkg3([])).filter((x) => x.kind === 'Add');
    assert.deepEqual(
      adds.map((a) => a.item.source?.locURI),
      [guid],
    );
  });
});
