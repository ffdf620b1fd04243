/**
 * A report renders or checks an object from its parsed tree when the object cache keeps it
 * (domain/calendar/object-cache.ts `keptText`): the body is then not read from the store again
 * (issue #20: an expanded window read every match's body only to find its tree kept).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { countingStore } from '../../helpers/counting-store.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { event, expandQuery, put, report, type Fetch } from '../rfc4791/caldav-client.js';

const CAL = '/dav/calendars/alice/default/';
let s: TestServer;
let alice: Fetch;
let dir: string;
const bodiesRead: number[] = [];

before(async () => {
  // caldav-client.ts turns on the debug full scan, which reads every body by design: what is
  // counted here is what a server reads.
  process.env.ALMANAC_DEBUG_QUERY = '0';
  dir = mkdtempSync(join(tmpdir(), 'almanac-kept-'));
  const store = countingStore(openSqliteStore(join(dir, 'almanac.sqlite'), { synchronous: 'NORMAL' }), (m, args) => {
    if (m === 'readBodies') bodiesRead.push(...(args[0] as readonly number[]));
  });
  s = await startTestServer({ store });
  alice = davFetch(s.url, 'alice');
  for (const k of [1, 2, 3]) {
    const ics = event(`w${k}`, `2024010${k}T100000Z`, `2024010${k}T110000Z`, ['RRULE:FREQ=WEEKLY;COUNT=20']);
    assert.equal((await put(alice, `${CAL}w${k}.ics`, ics)).status, 201);
  }
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An expanded query of one week from `day` (YYYYMMDD), its instances counted. */
async function expandedWeek(day: string, end: string): Promise<number> {
  const range = `start="${day}T000000Z" end="${end}T000000Z"`;
  const r = await report(alice, CAL, expandQuery(range));
  assert.equal(r.status, 207);
  return r.text.split('RECURRENCE-ID:').length - 1;
}

describe('objects whose parsed tree is kept are not read again (issue #20)', () => {
  it('RFC 4791 §9.6.5: a second expanded window renders from the kept trees, reading no body', async () => {
    assert.equal(await expandedWeek('20240108', '20240115'), 3);
    bodiesRead.length = 0;
    assert.equal(await expandedWeek('20240122', '20240129'), 3);
    assert.deepEqual(bodiesRead, [], 'no body read');
  });

  it('a rewritten object is read again: its new version has no kept tree', async () => {
    const moved = event('w1', '20240102T100000Z', '20240102T110000Z', ['RRULE:FREQ=WEEKLY;COUNT=20']);
    assert.equal((await put(alice, `${CAL}w1.ics`, moved)).status, 204);
    bodiesRead.length = 0;
    assert.equal(await expandedWeek('20240205', '20240212'), 3);
    assert.equal(bodiesRead.length, 1, 'the rewritten one alone');
  });
});
