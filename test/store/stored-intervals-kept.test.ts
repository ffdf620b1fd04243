/**
 * RFC 4791 §7.8.1 / §9.9 calendar-query time-range on recurring events: the precomputed instance
 * intervals a query reads to decide a series are kept in the object cache under (id, etag), so
 * the next query of the calendar reads none of them again, and a rewritten series (a new etag) is
 * read and judged afresh — on a real SQLite store, through the one write path (issue #20).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompFilter } from '../../src/domain/calendar/filter.js';
import { ObjectCache } from '../../src/domain/calendar/object-cache.js';
import { queryCalendar } from '../../src/domain/calendar/query.js';
import type { Store } from '../../src/store/store.js';
import { openCalendarStore, type CalendarStore } from '../helpers/calendar-store.js';
import { eventBody } from '../helpers/event-body.js';
import { writeAsDav } from '../helpers/write-as-dav.js';

function series(uid: string, rrule: string): Uint8Array {
  return eventBody(uid, ['DTSTART:20240101T100000Z', 'DURATION:PT1H', `RRULE:${rrule}`]);
}

/** VCALENDAR > VEVENT > time-range of one week. */
function week(start: string): CompFilter {
  const range = { start: Date.parse(start), end: Date.parse(start) + 7 * 86_400_000 };
  const event: CompFilter = { name: 'VEVENT', isNotDefined: false, timeRange: range, propFilters: [], compFilters: [] };
  return { name: 'VCALENDAR', isNotDefined: false, timeRange: null, propFilters: [], compFilters: [event] };
}

let db: CalendarStore;
let store: Store;
let calendarId: number;
const CAL = '/calendars/alice/default';

before(async () => {
  db = await openCalendarStore('almanac-intervals-kept-');
  ({ store, calendarId } = db);
  await writeAsDav(store, db.alice, `${CAL}/mondays.ics`, series('mondays', 'FREQ=WEEKLY;BYDAY=MO;COUNT=20'));
  await writeAsDav(store, db.alice, `${CAL}/fridays.ics`, series('fridays', 'FREQ=WEEKLY;BYDAY=FR;COUNT=20'));
  await writeAsDav(store, db.alice, `${CAL}/monthly.ics`, series('monthly', 'FREQ=MONTHLY;BYMONTHDAY=20;COUNT=6'));
});
after(() => db.close());

/** The store, the ids of every readEventIntervals call added to `asked`. */
function intervalsCounted(asked: number[]): Store {
  const read = store.readEventIntervals.bind(store);
  return Object.assign(Object.create(store) as Store, {
    readEventIntervals: (ids: readonly number[]) => {
      asked.push(...ids);
      return read(ids);
    },
  });
}

describe('RFC 4791 §9.9 time-range on recurring events: stored intervals read once per etag (issue #20)', () => {
  it('a second query reads no intervals; a rewritten series is read again and judged on its new rule', async () => {
    const objects = ObjectCache.ofBytes(1 << 20);
    const asked: number[] = [];
    const reader = intervalsCounted(asked);
    const uids = async (filter: CompFilter): Promise<string[]> =>
      (await queryCalendar(reader, calendarId, filter, null, objects)).map((m) => m.resource.uid ?? '?').sort();

    // 2024-01-08 is a Monday: that week holds a Monday and a Friday, not the 20th.
    const id = async (name: string): Promise<number | undefined> => (await store.getResource(`${CAL}/${name}.ics`))?.id;
    // The monthly series begins on the 20th: the index leaves it out of this week's candidates.
    assert.deepEqual(await uids(week('2024-01-08T00:00:00Z')), ['fridays', 'mondays']);
    assert.deepEqual(asked.sort(), [await id('mondays'), await id('fridays')].sort());
    asked.length = 0;
    assert.deepEqual(await uids(week('2024-01-16T00:00:00Z')), ['fridays', 'mondays', 'monthly']);
    assert.deepEqual(asked, [await id('monthly')], 'only the series no query had read');
    asked.length = 0;
    assert.deepEqual(await uids(week('2024-02-21T00:00:00Z')), ['fridays', 'mondays']);
    assert.deepEqual(await uids(week('2024-01-08T00:00:00Z')), ['fridays', 'mondays']);
    assert.deepEqual(asked, [], 'no intervals read again');

    // Two Mondays only now (January 1 and 8).
    await writeAsDav(store, db.alice, `${CAL}/mondays.ics`, series('mondays', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2'));
    assert.deepEqual(await uids(week('2024-02-21T00:00:00Z')), ['fridays']);
    assert.deepEqual(await uids(week('2024-01-08T00:00:00Z')), ['fridays', 'mondays']);
    assert.deepEqual(asked, [await id('mondays')], 'only the rewritten series read again');
  });

  it('a series the store keeps no intervals for (all-day: floating dates) is not asked for again', async () => {
    await writeAsDav(
      store,
      db.alice,
      `${CAL}/allday.ics`,
      eventBody('allday', ['DTSTART;VALUE=DATE:20240102', 'DTEND;VALUE=DATE:20240103', 'RRULE:FREQ=WEEKLY;COUNT=10']),
    );
    const allday = (await store.getResource(`${CAL}/allday.ics`))?.id;
    const objects = ObjectCache.ofBytes(1 << 20);
    const asked: number[] = [];
    const reader = intervalsCounted(asked);
    const found = async (filter: CompFilter): Promise<boolean> =>
      (await queryCalendar(reader, calendarId, filter, null, objects)).some((m) => m.resource.uid === 'allday');
    assert.equal(await found(week('2024-01-08T00:00:00Z')), true); // Tuesday the 9th
    assert.ok(asked.includes(allday!), 'the first query asks the store');
    asked.length = 0;
    assert.equal(await found(week('2024-01-15T00:00:00Z')), true);
    assert.equal(await found(week('2024-06-03T00:00:00Z')), false); // after the tenth
    assert.ok(!asked.includes(allday!), 'that it has none is remembered');
  });
});
