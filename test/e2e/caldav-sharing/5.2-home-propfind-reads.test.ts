/**
 * caldav-sharing §5.2 as iOS/macOS and DAVx5 discover a home: PROPFIND Depth 1 of the calendar
 * home with DAV:owner, CS:invite, DAV:share-access and the privileges of every instance in it. The
 * store reads that answer costs must not grow with the number of instances (it read the sharer,
 * the sharee, the shares and the shared collection once per instance: ~6 reads each), so a home
 * with dozens of shared calendars answers as fast as one with a few.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { shareAndAccept, XML } from './sharing-steps.js';

/** The reads a home listing of instances could repeat per instance. */
const COUNTED = new Set(['getUserById', 'sharesOf', 'getResource', 'getResourceById', 'sharesFor']);

/** The store, counting the calls of `COUNTED` while `counting` is set. */
function countingStore(inner: Store): { store: Store; counts: Map<string, number>; counting: { on: boolean } } {
  const counts = new Map<string, number>();
  const counting = { on: false };
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string' || !COUNTED.has(name)) return value;
      return (...args: unknown[]) => {
        if (counting.on) counts.set(name, (counts.get(name) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, counts, counting };
}

const HOME_PROPFIND =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" ' +
  'xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:resourcetype/><D:displayname/><D:current-user-privilege-set/>' +
  '<D:owner/><CS:getctag/><CS:invite/><CS:shared-url/><D:share-access/></D:prop></D:propfind>';

describe('caldav-sharing §5.2: a home’s PROPFIND reads the store a fixed number of times, whatever its instances', () => {
  let server: TestServer;
  let dataDir = '';
  let counted: ReturnType<typeof countingStore>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'almanac-home-reads-'));
    counted = countingStore(openSqliteStore(join(dataDir, 'almanac.sqlite')));
    server = await startTestServer({
      users: { alice: 'alice-pw', carol: 'carol-pw', bob: 'bob-pw' },
      store: counted.store,
    });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Share `n` more calendars with bob (from alice and carol in turn), then count bob's home listing. */
  async function listWith(from: number, to: number): Promise<{ reads: number; instances: number }> {
    for (let i = from; i < to; i++) {
      const owner = i % 2 ? 'carol' : 'alice';
      const path = `/dav/calendars/${owner}/team-${i}/`;
      assert.equal((await davFetch(server.url, owner)(path, { method: 'MKCALENDAR' })).status, 201);
      await shareAndAccept(server.url, owner, path, 'bob', i % 3 ? 'read' : 'read-write');
    }
    counted.counts.clear();
    counted.counting.on = true;
    const res = await davFetch(server.url, 'bob')('/dav/calendars/bob/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: HOME_PROPFIND,
    });
    counted.counting.on = false;
    const text = await res.text();
    assert.equal(res.status, 207);
    const instances = (text.match(/<CS:shared\/>/g) ?? []).length;
    assert.equal((text.match(/<CS:organizer>/g) ?? []).length, instances, 'each instance names its sharer');
    return { reads: [...counted.counts.values()].reduce((a, b) => a + b, 0), instances };
  }

  it('4 instances and 16 instances cost the same reads of users, shares and collections', async () => {
    const few = await listWith(0, 4);
    assert.equal(few.instances, 4);
    const many = await listWith(4, 16);
    assert.equal(many.instances, 16);
    assert.equal(many.reads, few.reads, `${JSON.stringify(Object.fromEntries(counted.counts))}`);
  });
});
