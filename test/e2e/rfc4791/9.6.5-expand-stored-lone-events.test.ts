/**
 * RFC 4791 §9.6.5: a lone event's expansion is made when it is written and an expanded window
 * answers it from the store (domain/calendar/expanded-text.ts, issue #20): its body — with the
 * VTIMEZONE clients embed — is not read, and the answer is the one expanding the body gives.
 * A row whose stored text is of another version (a node of an older release rewrote it) or that
 * has none (written before) is expanded from its body, as before.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { countingStore } from '../../helpers/counting-store.js';
import { BERLIN_VTIMEZONE } from '../../helpers/event-body.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { calendarData, event, expandQuery, put, report, type Fetch } from './caldav-client.js';

const CAL = '/dav/calendars/alice/default/';

/** A lone event at `day` 10:00–11:30 Berlin time, its VTIMEZONE embedded as Apple and Thunderbird send it. */
function berlinEvent(uid: string, day: string): string {
  return event(uid, `${day}T100000`, `${day}T113000`, ['LOCATION:Café ☕'])
    .replace(`DTSTART:${day}T100000`, `DTSTART;TZID=Europe/Berlin:${day}T100000`)
    .replace(`DTEND:${day}T113000`, `DTEND;TZID=Europe/Berlin:${day}T113000`)
    .replace('BEGIN:VEVENT', [...BERLIN_VTIMEZONE, 'BEGIN:VEVENT'].join('\r\n'));
}

let s: TestServer;
let alice: Fetch;
let dir: string;
let db: Database.Database;
const bodiesRead: number[] = [];
const ids = new Map<string, number>();

before(async () => {
  process.env.ALMANAC_DEBUG_QUERY = '0'; // the debug full scan reads every body by design
  dir = mkdtempSync(join(tmpdir(), 'almanac-expanded-'));
  const file = join(dir, 'almanac.sqlite');
  const store = countingStore(openSqliteStore(file, { synchronous: 'NORMAL' }), (m, args) => {
    if (m === 'readBodies') bodiesRead.push(...(args[0] as readonly number[]));
  });
  s = await startTestServer({ store });
  alice = davFetch(s.url, 'alice');
  const objects: Record<string, string> = {
    'b1.ics': berlinEvent('b1', '20240108'),
    'b2.ics': berlinEvent('b2', '20240110'),
    'u1.ics': event('u1', '20240109T080000Z', '20240109T090000Z'),
    'floating.ics': event('floating', '20240111T090000', '20240111T100000'),
    'allday.ics': event('allday', '20240112', '20240113')
      .replace('DTSTART:20240112', 'DTSTART;VALUE=DATE:20240112')
      .replace('DTEND:20240113', 'DTEND;VALUE=DATE:20240113'),
  };
  for (const [name, ics] of Object.entries(objects)) assert.equal((await put(alice, `${CAL}${name}`, ics)).status, 201);
  db = new Database(file);
  for (const r of db.prepare("SELECT id, path FROM resources WHERE path LIKE '/calendars/alice/default/%'").all() as {
    id: number;
    path: string;
  }[])
    ids.set(r.path.slice(r.path.lastIndexOf('/') + 1), r.id);
});
after(async () => {
  db.close();
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The week of 8 January 2024 expanded, the window starting `hour` (distinct windows: no answer is served from the answer cache). */
async function expandedWeek(hour: string): Promise<Map<string, string>> {
  const range = `start="20240108T${hour}0000Z" end="20240115T000000Z"`;
  const r = await report(alice, CAL, expandQuery(range));
  assert.equal(r.status, 207);
  return calendarData(r.xml);
}

const lone = (): number[] => ['b1.ics', 'b2.ics', 'u1.ics'].map((n) => ids.get(n) as number).sort();

describe('RFC 4791 §9.6.5: lone events expanded from the text stored with them (issue #20)', () => {
  it('stores an expansion for the lone events with absolute times only (not floating, not all-day)', () => {
    const stored = (db.prepare('SELECT id FROM resources WHERE expanded_text IS NOT NULL').all() as { id: number }[])
      .map((r) => r.id)
      .sort();
    assert.deepEqual(stored, lone());
  });

  it('an expanded window reads no body of a lone event, and answers what expanding its body answers', async () => {
    bodiesRead.length = 0;
    const fromStored = await expandedWeek('00');
    assert.deepEqual(
      bodiesRead.filter((id) => lone().includes(id)),
      [],
      'no lone event body read',
    );
    assert.equal(fromStored.size, 5);
    const b1 = fromStored.get('b1.ics') ?? '';
    assert.match(b1, /DTSTART:20240108T090000Z\r?\nDTEND:20240108T103000Z/);
    assert.match(b1, /LOCATION:Café ☕/);
    assert.doesNotMatch(b1, /VTIMEZONE|TZID/);
    // Written before the column existed: expanded from the body, to the same text.
    db.prepare('UPDATE resources SET expanded_text = NULL').run();
    bodiesRead.length = 0;
    const fromBodies = await expandedWeek('01');
    assert.deepEqual(bodiesRead.filter((id) => lone().includes(id)).sort(), lone());
    assert.deepEqual(fromBodies, fromStored);
  });

  it('a text stored for another version of the row is not served: the body is expanded', async () => {
    const id = ids.get('b1.ics') as number;
    const textOf = (): string | null =>
      (db.prepare('SELECT expanded_text AS t FROM resources WHERE id = ?').get(id) as { t: string | null }).t;
    assert.equal((await put(alice, `${CAL}b1.ics`, berlinEvent('b1', '20240109'))).status, 204);
    const ninth = textOf();
    assert.ok(ninth?.includes('DTSTART:20240109T090000Z'), 'the new version has its text');
    assert.equal((await put(alice, `${CAL}b1.ics`, berlinEvent('b1', '20240108'))).status, 204);
    // A node of an older release left the text of the version before beside the new body.
    db.prepare('UPDATE resources SET expanded_text = ? WHERE id = ?').run(ninth, id);
    bodiesRead.length = 0;
    const week = await expandedWeek('02');
    assert.ok(bodiesRead.includes(id), 'its body is read');
    assert.match(week.get('b1.ics') ?? '', /DTSTART:20240108T090000Z/);
    assert.doesNotMatch(week.get('b1.ics') ?? '', /20240109/);
  });
});
