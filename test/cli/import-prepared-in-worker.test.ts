/**
 * `almanac import` of an .ics (issue #20, a 5,000-event import in under 3 s): a worker thread
 * prepares each batch (parse, validation, index) while the main thread writes the one before,
 * and the one write path takes those results instead of computing them again. What is stored
 * and what is refused are the same as without the worker. Run in-process, so that the
 * counters of this process show where the work was done.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { almanacInProcess } from '../helpers/cli-in-process.js';
import { PreparePool, preparedOffThread } from '../../src/cli/import-prepare-pool.js';
import { importBatch } from '../../src/cli/import-object.js';
import { preparedAheadStats, preparedCalendarData } from '../../src/domain/calendar/object.js';
import { limitsWithin, SUPPORTED_COMPONENTS } from '../../src/domain/calendar/settings.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const almanac = (...argv: string[]) => almanacInProcess(argv, 'import-test-password\n');

/** The i-th event: lone ones, finite series in a zone the file does not define, open-ended series. */
function event(i: number): string[] {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const head = ['BEGIN:VEVENT', `UID:ev-${i}@example.com`, 'DTSTAMP:20240101T000000Z', `SUMMARY:Event ${i}`];
  if (i % 3 === 0) return [...head, `DTSTART:202403${day}T090000Z`, `DTEND:202403${day}T100000Z`, 'END:VEVENT'];
  if (i % 3 === 1)
    return [
      ...head,
      `DTSTART;TZID=Europe/Berlin:202404${day}T090000`,
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=20',
      'END:VEVENT',
    ];
  return [...head, `DTSTART:202405${day}T120000Z`, 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY', 'END:VEVENT'];
}

/** Refused objects, as `almanac import` listed them before the worker existed. */
const BROKEN = ['BEGIN:VEVENT', 'UID:broken', 'DTSTAMP:20240101T000000Z', 'DTSTART:2024-01-01', 'END:VEVENT'];
const TOO_MANY = [
  'BEGIN:VEVENT',
  'UID:toomany',
  'DTSTAMP:20240101T000000Z',
  'DTSTART:20240101T100000Z',
  'RRULE:FREQ=HOURLY;COUNT=20000',
  'END:VEVENT',
];
const REFUSALS = [
  '  1 × valid-calendar-data: DTSTART: invalid date-time value: "2024--0-1-T1::": UID broken',
  '  1 × max-instances: the object has more than 10000 instances: UID toomany',
];

const VALID = 450; // three batches of the import (200 objects each, refused ones included)

/** VALID events and the two refused ones, in one VCALENDAR. */
function importFile(): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN'];
  for (let i = 0; i < VALID; i++) {
    if (i === 10) lines.push(...BROKEN); // in the first batch
    if (i === 300) lines.push(...TOO_MANY); // in a batch the worker prepared while another was written
    lines.push(...event(i));
  }
  return [...lines, 'END:VCALENDAR', ''].join('\r\n');
}

describe('almanac import: objects prepared in a worker thread, written by the one write path (issue #20)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-import-worker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'many.ics');
  writeFileSync(file, importFile());

  it('prepares off the main thread, the write path uses those results, refusals are as before', async () => {
    assert.equal((await almanac('user', 'add', 'alice', '--password-stdin', '--data', dir)).code, 0);
    const offeredBefore = preparedOffThread().offered;
    const hitsBefore = preparedAheadStats().hits;
    const r = await almanac('import', 'alice', 'default', file, '--data', dir);
    assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
    assert.deepEqual(r.out, [
      `Imported ${VALID} of ${VALID + 2} objects into alice/default`,
      'Skipped 2:',
      ...REFUSALS,
    ]);
    assert.equal(r.err.at(-1), `[####################] 100% ${VALID + 2}/${VALID + 2}`);

    const off = preparedOffThread();
    // The first batch too: the workers start before the file is split (import-calendar-objects.ts).
    const ahead = VALID;
    assert.equal(off.offered - offeredBefore, ahead, 'every valid object, prepared in a worker');
    assert.ok(
      off.threadIds.length > 0 && !off.threadIds.includes(threadId),
      `worker threads ${off.threadIds.join(', ')}`,
    );
    assert.equal(preparedAheadStats().hits - hitsBefore, ahead, 'the write path took every one of them');
    assert.equal(preparedAheadStats().entries, 0, 'nothing is left behind');
  });

  it('what the worker prepared is stored as the write path computes it itself', async () => {
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const coll = await store.getResource('/calendars/alice/default');
      assert.ok(coll);
      const limits = limitsWithin({ components: [...SUPPORTED_COMPONENTS], timezone: null }, 1 << 30);
      const members = (await store.listChildren(coll.id)).filter((m) => !m.isCollection);
      assert.equal(members.length, VALID);
      // The feed (RFC 6578): every object once, numbered 1…VALID; the home moved once per batch
      // of the three, not once per object (StoreTx.recordChangesAtEnd).
      const feed = await store.changesSince(coll.id, 0, 1000);
      assert.deepEqual(
        feed.map((c) => c.seq),
        Array.from({ length: VALID }, (_, k) => k + 1),
      );
      assert.equal(new Set(feed.map((c) => c.name)).size, VALID);
      assert.equal(coll.syncSeq, VALID);
      const home = await store.getResource('/calendars/alice');
      assert.ok(home);
      const made = (await store.changesSince(home.id, 0, 1000)).filter((c) => c.name === 'inbox/').at(-1);
      const homeFeed = await store.changesSince(home.id, made?.seq ?? 0, 1000);
      assert.deepEqual(
        homeFeed.map((c) => c.name),
        ['default/', 'default/', 'default/'],
        'after the user was made: one change per batch',
      );
      const stored = await store.readEventIntervals(members.map((m) => m.id));
      assert.ok(
        [...stored.values()].some((s) => s.seriesText),
        'series prepared by the worker are stored with their text',
      );
      for (const m of members.filter((_, k) => k % 7 === 0)) {
        const inline = await preparedCalendarData(await store.readBody(m.id), 'text/calendar', limits);
        const { index } = inline;
        assert.deepEqual(
          [m.uid, m.component, m.firstStart, m.lastEnd, m.spanExact],
          [index.uid, index.component, index.firstStart, index.lastEnd, index.spanExact ?? false],
          m.path,
        );
        const kept = stored.get(m.id);
        assert.deepEqual(kept?.intervals ?? null, index.eventIntervals ?? null, m.path);
        assert.equal(kept?.seriesText ?? null, index.seriesText ?? null, m.path);
        // An open-ended series' intervals hold up to a horizon reckoned from the clock.
        if (index.eventIntervalsUntil != null)
          assert.ok(Math.abs((kept?.until ?? 0) - index.eventIntervalsUntil) < 60_000, m.path);
        else assert.equal(kept?.until ?? null, null, m.path);
      }
    } finally {
      await store.close();
    }
  });

  it('a worker that cannot start prepares nothing, and the import still writes', async () => {
    const pool = PreparePool.start(new URL('./no-such-worker.js', import.meta.url), 1);
    const offered = preparedOffThread().offered;
    const body = new TextEncoder().encode(
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', ...event(VALID), 'END:VCALENDAR', ''].join('\r\n'),
    );
    const limits = limitsWithin({ components: [...SUPPORTED_COMPONENTS], timezone: null }, 1 << 30);
    await pool.prepareAhead([{ body, contentType: 'text/calendar' }], limits);
    await pool.close();
    assert.equal(preparedOffThread().offered, offered);
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const alice = await store.getUserByName('alice');
      assert.ok(alice);
      const item = { path: `/calendars/alice/default/ev-${VALID}.ics`, body, contentType: 'text/calendar' };
      assert.deepEqual(await importBatch(store, '/calendars/alice', { id: alice.id, name: 'alice' }, [item]), [null]);
    } finally {
      await store.close();
    }
  });
});
