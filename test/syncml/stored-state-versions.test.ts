/**
 * Stored SyncML state is versioned and checked on the way in (issue #14 item 5): a session kept
 * in kv between messages (DS Protocol 1.2 §6; digest §2) and the device record's info (DevInf,
 * digest §11; operator routes). State of the first shape — written before the format version —
 * still loads; state that does not fit is discarded with a logged reason instead of being read
 * through a bare cast (which failed the whole message).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncmlPorts } from '../../src/domain/syncml/index.js';
import { DEVICE_INFO_VERSION, parseDeviceInfo, serialiseDeviceInfo } from '../../src/syncml/device-record.js';
import { NS_SESSION, parseStoredSession, SESSION_FORMAT_VERSION } from '../../src/syncml/session-record.js';
import type { SyncStateStore } from '../../src/syncml/ports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { clientDevInf, Device, ICAL, itemStatuses, makeServer } from './driver.js';

describe('stored SyncML state: versioned, validated session and device JSON', () => {
  let t: TestServer;
  let state: SyncStateStore;
  let userId: number;
  before(async () => {
    t = await startTestServer();
    state = syncmlPorts(t.store).state;
    userId = (await t.store.getUserByName('alice'))!.id;
  });
  after(async () => t.close());

  async function storedSession(dev: Device): Promise<{ token: string; json: Record<string, unknown> }> {
    const token = dev.sessionToken ?? '';
    const raw = await state.getValue(NS_SESSION, token);
    assert.ok(raw, 'the session is stored under its RespURI secret');
    return { token, json: JSON.parse(raw) as Record<string, unknown> };
  }

  it(`a session is stored as { version: ${SESSION_FORMAT_VERSION}, session }`, async () => {
    const dev = new Device(makeServer(t.store), 'v-phone-1', '1');
    await dev.pkg1(null, undefined, 'a1');
    const { token, json } = await storedSession(dev);
    assert.equal(json.version, SESSION_FORMAT_VERSION);
    assert.equal((json.session as { token: string }).token, token);
  });

  it('a session stored in the first shape (no format version) still continues', async () => {
    const logs: string[] = [];
    const dev = new Device(makeServer(t.store, { logs }), 'v-phone-2', '1');
    await dev.pkg1(null, undefined, 'a1');
    const { token, json } = await storedSession(dev);
    await state.setValue(NS_SESSION, token, JSON.stringify(json.session), 60_000);
    const pkg4 = await dev.pkg3([
      {
        kind: 'Add',
        meta: { type: 'text/calendar' },
        items: [{ source: { locURI: 'l1' }, data: ICAL('first-shape-1') }],
      },
    ]);
    assert.deepEqual(itemStatuses(pkg4, 'SyncHdr'), [200], 'the same, authenticated session');
    assert.deepEqual(itemStatuses(pkg4, 'Add'), [201]);
    assert.deepEqual(
      logs.filter((l) => l.includes('stored session')),
      [],
    );
  });

  it('a stored session that does not fit is discarded with the reason logged: the device starts anew (407), no failure', async () => {
    const logs: string[] = [];
    const dev = new Device(makeServer(t.store, { logs }), 'v-phone-3', '1');
    await dev.pkg1(null, undefined, 'a1');
    const { token, json } = await storedSession(dev);
    // First shape, with a field of the wrong type: the old bare cast went on with it and failed.
    await state.setValue(NS_SESSION, token, JSON.stringify({ ...(json.session as object), outbox: 'garbage' }), 60_000);
    const r = await dev.pkg3([]);
    assert.deepEqual(itemStatuses(r, 'SyncHdr'), [407], 'a new session, which must authenticate');
    assert.ok(
      logs.some((l) => /stored session discarded: first-shape session: session\.outbox is not an array/.test(l)),
      logs.join('\n'),
    );
  });

  it('device info that is not JSON is logged and ignored; the session goes on', async () => {
    const logs: string[] = [];
    await state.putDevice({
      userId,
      deviceId: 'v-phone-4',
      info: '{not json',
      createdAt: Date.now(),
      lastSyncAt: null,
    });
    const dev = new Device(makeServer(t.store, { logs }), 'v-phone-4', '1');
    const r = await dev.pkg1(null, undefined, 'a1');
    assert.deepEqual(itemStatuses(r, 'Alert'), [508], 'no sync state: refresh required, slow sync');
    assert.ok(
      logs.some((l) => l.includes('device v-phone-4') && l.includes('device info is not JSON')),
      logs.join('\n'),
    );
  });

  it('device info of the first shape (no version) keeps its routes and DevInf; a DevInf received is written with the version', async () => {
    const routes = { contacts: '/addressbooks/alice/default' };
    await state.putDevice({
      userId,
      deviceId: 'v-phone-5',
      info: JSON.stringify({ routes }),
      createdAt: Date.now(),
      lastSyncAt: null,
    });
    const dev = new Device(makeServer(t.store), 'v-phone-5', '1');
    await dev.pkg1(clientDevInf('v-phone-5', 8), undefined, 'a1');
    const record = await state.getDevice(userId, 'v-phone-5');
    const info = JSON.parse(record!.info) as { version: number; routes: unknown; devinf: { devId: string } };
    assert.equal(info.version, DEVICE_INFO_VERSION);
    assert.deepEqual(info.routes, routes);
    assert.equal(info.devinf.devId, 'v-phone-5');
  });

  it('parseDeviceInfo: a part that does not fit is dropped with its reason, the rest kept; another version is ignored', () => {
    const problems: string[] = [];
    const info = parseDeviceInfo(
      JSON.stringify({ routes: { contacts: '/addressbooks/a/x' }, devinf: { devId: 7 } }),
      problems,
    );
    assert.deepEqual(info, { routes: { contacts: '/addressbooks/a/x' } });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^devinf\.verDTD is not a string: devinf dropped$/);
    const later: string[] = [];
    assert.deepEqual(parseDeviceInfo(JSON.stringify({ version: 99, routes: {} }), later), {});
    assert.match(later[0]!, /format version 99/);
    assert.equal(serialiseDeviceInfo({ routes: { a: 'b' } }), `{"version":${DEVICE_INFO_VERSION},"routes":{"a":"b"}}`);
  });

  it('parseStoredSession: refuses another format version, another token, and what is not JSON, each with a reason', () => {
    const p: string[] = [];
    assert.equal(parseStoredSession('{', 't', p), null);
    assert.equal(parseStoredSession(JSON.stringify({ version: 2, session: {} }), 't', p), null);
    assert.equal(parseStoredSession(JSON.stringify([1]), 't', p), null);
    assert.deepEqual(p, ['not JSON', `format version 2, this server reads ${SESSION_FORMAT_VERSION}`, 'not an object']);
  });

  it('parseStoredSession: a session stored under another token is refused', async () => {
    const dev = new Device(makeServer(t.store), 'v-phone-6', '1');
    await dev.pkg1(null, undefined, 'a1');
    const { json } = await storedSession(dev);
    const p: string[] = [];
    assert.equal(parseStoredSession(JSON.stringify(json), 'another-token-xxxxxxxx', p), null);
    assert.deepEqual(p, ['stored under another token']);
    assert.equal(parseStoredSession(JSON.stringify(json), dev.sessionToken ?? '', []) !== null, true);
  });
});

describe('DS Protocol 1.2 §6.1 / digest §7: the reason for a forced slow sync is logged as it is', () => {
  it('a last anchor other than the stored one is logged as an anchor mismatch (was: "change history compacted")', async () => {
    const t = await startTestServer();
    try {
      const logs: string[] = [];
      const dev = new Device(makeServer(t.store, { logs }), 'anchor-phone', '1');
      await dev.pkg1(null, undefined, 'a1');
      await dev.pkg3([]);
      await dev.pkg5([]);
      const again = new Device(makeServer(t.store, { logs }), 'anchor-phone', '2');
      const r = await again.pkg1(null, 'not-a1', 'a2');
      assert.deepEqual(itemStatuses(r, 'Alert'), [508]);
      assert.ok(
        logs.some((l) => l.includes('anchor mismatch (not-a1 ≠ a1): slow sync')),
        logs.join('\n'),
      );
    } finally {
      await t.close();
    }
  });
});
