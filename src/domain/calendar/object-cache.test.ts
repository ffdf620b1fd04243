import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { indexCalendarObject } from '../../formats/ical/object-index.js';
import { parseCalendar } from '../../formats/ical/parse.js';
import { intervalsOverlap } from '../../formats/ical/interval-index.js';
import { ObjectCache, type ObjectKey } from './object-cache.js';
import type { CalendarDataRequest } from '../../formats/ical/calendar-data.js';
import type { IcalTimezone } from '../../formats/ical/ical.js';

let cache = ObjectCache.ofBytes(1024 * 1024);
const cachedTree = (r: ObjectKey, text: string): ReturnType<ObjectCache['tree']> => cache.tree(r, text);

/** The intervals of a series small enough to be listed (never null here). */
function cachedEventIntervals(
  r: ObjectKey,
  text: string,
  floating: IcalTimezone | null,
  until: number | null,
): Float64Array {
  const out = cache.eventIntervals(r, text, floating, until);
  assert.ok(out, 'a short series is listed');
  return out;
}

const event = (dtstart: string, rrule = ''): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//EN',
    'BEGIN:VEVENT',
    'UID:u1',
    'DTSTAMP:20240101T000000Z',
    `DTSTART:${dtstart}`,
    'DURATION:PT1H',
    ...(rrule ? [`RRULE:${rrule}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** The store's intervals of an object's VEVENTs, as the store would keep them. */
function storedOf(text: string): { intervals: Float64Array; until: number | null; seriesText: string | null } {
  const ix = indexCalendarObject(parseCalendar(text), 'VEVENT', Date.UTC(2024, 0, 1));
  assert.ok(ix.intervals);
  return { intervals: ix.intervals, until: ix.intervalsUntil, seriesText: ix.seriesText };
}

const JAN = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 1, 1) };
const MAR = { start: Date.UTC(2024, 2, 1), end: Date.UTC(2024, 3, 1) };

afterEach(() => {
  cache = ObjectCache.ofBytes(1024 * 1024);
});

describe('object cache (id, etag) → derived data', () => {
  it('an identical request is a hit and returns the same intervals', () => {
    const text = event('20240105T100000Z', 'FREQ=WEEKLY');
    const a = cachedEventIntervals({ id: 1, etag: '"a"' }, text, null, JAN.end);
    const hits = cache.stats()!.hits;
    const b = cachedEventIntervals({ id: 1, etag: '"a"' }, text, null, JAN.end);
    assert.equal(b, a);
    assert.equal(cache.stats()!.hits, hits + 1);
    const starts = (x: Float64Array): number[] => [...x].filter((t, i) => i % 3 === 0 && t < JAN.end);
    assert.equal(starts(a).length, 4); // Jan 5, 12, 19, 26 (and on to the stretch's end)
    assert.ok(intervalsOverlap(a, JAN));
    assert.equal(cachedTree({ id: 1, etag: '"a"' }, text), cachedTree({ id: 1, etag: '"a"' }, text));
  });

  it('windows ending in the same stretch share one listing; one ending in the next is listed anew', () => {
    const text = event('20240105T100000Z', 'FREQ=DAILY');
    const r = { id: 5, etag: '"a"' };
    const day = 86_400_000;
    const stretch = 32 * day;
    const end = Math.ceil(JAN.end / stretch) * stretch; // the end of the stretch holding February 1
    const first = cachedEventIntervals(r, text, null, end - 10 * day);
    const hits = cache.stats()!.hits;
    const same = cachedEventIntervals(r, text, null, end - 3 * day);
    assert.equal(same, first, 'the same listing');
    assert.equal(cache.stats()!.hits, hits + 1); // one hit: the listing (the tree is not asked for)
    for (const until of [end - 3 * day, end - 10 * day]) {
      const range = { start: until - 7 * day, end: until };
      assert.ok(intervalsOverlap(same, range), 'a daily series overlaps every week');
    }
    const next = cachedEventIntervals(r, text, null, end + day);
    assert.notEqual(next, first);
    assert.ok(next.length > first.length);
  });

  it('a PUT changes the etag: the new body is evaluated, not the cached one', () => {
    const before = cachedEventIntervals({ id: 2, etag: '"1"' }, event('20240105T100000Z'), null, MAR.end);
    assert.ok(!intervalsOverlap(before, MAR));
    const after = cachedEventIntervals({ id: 2, etag: '"2"' }, event('20240305T100000Z'), null, MAR.end);
    assert.ok(intervalsOverlap(after, MAR));
    // A different window or floating zone is a different entry, computed for it.
    const wider = cachedEventIntervals({ id: 3, etag: '"1"' }, event('20240105T100000Z', 'FREQ=WEEKLY'), null, MAR.end);
    assert.ok(intervalsOverlap(wider, MAR));
  });

  it('rendered calendar-data is cached per request and recomputed for a new etag', () => {
    const req = { contentType: 'text/calendar' as const, expand: JAN };
    const a = cache.render({ id: 4, etag: '"1"' }, event('20240105T100000Z', 'FREQ=WEEKLY'), req, null);
    assert.equal((a.match(/BEGIN:VEVENT/g) ?? []).length, 4);
    const b = cache.render({ id: 4, etag: '"2"' }, event('20240105T100000Z', 'FREQ=WEEKLY;COUNT=2'), req, null);
    assert.equal((b.match(/BEGIN:VEVENT/g) ?? []).length, 2);
  });

  it('renders of distinct requests stay apart, also after more requests than it names', () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024); // keeps every render of this test
    const text = event('20240105T100000Z', 'FREQ=DAILY');
    const key = { id: 7, etag: '"1"' };
    // n days from a second past midnight: n instances at 10:00.
    const days = (
      n: number,
      second: number,
    ): { contentType: 'text/calendar'; expand: { start: number; end: number } } => ({
      contentType: 'text/calendar',
      expand: { start: Date.UTC(2024, 0, 10, 0, 0, second), end: Date.UTC(2024, 0, 10 + n, 0, 0, second) },
    });
    const count = (s: string): number => (s.match(/BEGIN:VEVENT/g) ?? []).length;
    assert.equal(count(cache.render(key, text, days(1, 0), null)), 1);
    for (let n = 1; n <= 5000; n += 1) {
      // Each a request never seen before: the names table starts again past 4,096.
      assert.equal(count(cache.render(key, text, days(1 + (n % 7), n), null)), 1 + (n % 7));
    }
    assert.equal(count(cache.render(key, text, days(3, 0), null)), 3);
  });
});

describe('object cache: expansions of lone instances', () => {
  it('RFC 4791 §9.6.5: a lone event expands once for every range it overlaps, and as a fresh render would', () => {
    const fresh = ObjectCache.ofBytes(0);
    const expand = (
      start: string,
      days: number,
    ): { contentType: 'text/calendar'; expand: { start: number; end: number } } => ({
      contentType: 'text/calendar',
      expand: { start: Date.parse(start), end: Date.parse(start) + days * 86_400_000 },
    });
    const lone = event('20240105T100000Z');
    const key = { id: 8, etag: '"1"' };
    const first = cache.render(key, lone, expand('2024-01-01T00:00:00Z', 7), null);
    assert.match(first, /BEGIN:VEVENT/);
    const held = cache.stats()!.entries;
    for (const [start, days] of [
      ['2024-01-03T00:00:00Z', 7],
      ['2024-01-05T10:30:00Z', 1],
      ['2023-12-01T00:00:00Z', 60],
    ] as const) {
      const out = cache.render(key, lone, expand(start, days), null);
      assert.equal(out, fresh.render(key, lone, expand(start, days), null), start);
      assert.equal(out, first);
    }
    assert.equal(cache.stats()!.entries, held, 'no render kept per range');
    // A range it does not overlap: rendered for that range (no VEVENT), as fresh.
    const outside = cache.render(key, lone, expand('2024-02-01T00:00:00Z', 7), null);
    assert.doesNotMatch(outside, /BEGIN:VEVENT/);
    assert.equal(outside, fresh.render(key, lone, expand('2024-02-01T00:00:00Z', 7), null));
    // A series is rendered per range.
    const series = event('20240105T100000Z', 'FREQ=DAILY;COUNT=10');
    const a = cache.render({ id: 9, etag: '"1"' }, series, expand('2024-01-01T00:00:00Z', 7), null);
    const b = cache.render({ id: 9, etag: '"1"' }, series, expand('2024-01-03T00:00:00Z', 7), null);
    assert.notEqual(a, b);
    assert.equal(b, fresh.render({ id: 9, etag: '"1"' }, series, expand('2024-01-03T00:00:00Z', 7), null));
  });
});

describe('object cache: bounds', () => {
  it("keeps one entry per object: a new version takes the old one's place, and renders per object are bounded", () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024);
    const text = event('20240105T100000Z', 'FREQ=DAILY');
    // Range-independent renderings (RFC 4791 §9.6.1 component selections), each its own key.
    const selection = (n: number): CalendarDataRequest => ({
      contentType: 'text/calendar',
      comp: {
        name: 'VCALENDAR',
        allProps: true,
        props: [],
        allComps: false,
        comps: [
          {
            name: 'VEVENT',
            allProps: false,
            props: [
              { name: 'UID', novalue: false },
              { name: 'DTSTART', novalue: false },
              { name: `X-ASKED-${n}`, novalue: false },
            ],
            allComps: false,
            comps: [],
          },
        ],
      },
    });
    cachedTree({ id: 20, etag: '"1"' }, text);
    const oneRender = (() => {
      const before = cache.stats()!.bytes;
      cache.render({ id: 20, etag: '"1"' }, text, selection(0), null);
      return cache.stats()!.bytes - before;
    })();
    assert.ok(oneRender > 0, 'a range-independent rendering is kept');
    for (let n = 1; n < 100; n++) cache.render({ id: 20, etag: '"1"' }, text, selection(n), null);
    const stats = cache.stats()!;
    assert.equal(stats.entries, 1);
    assert.ok(
      stats.bytes < 20 * oneRender + 2 * text.length * 12 + 4096,
      `renders of one object bounded (${stats.bytes} bytes)`,
    );
    // The most recent renders are kept (hits), the first ones were dropped (a miss, computed again).
    const hits = cache.stats()!.hits;
    cache.render({ id: 20, etag: '"1"' }, text, selection(99), null);
    assert.equal(cache.stats()!.hits, hits + 1);
    const misses = cache.stats()!.misses;
    cache.render({ id: 20, etag: '"1"' }, text, selection(0), null);
    assert.ok(cache.stats()!.misses > misses);
    // A new version replaces the entry: still one, and none of the old version's values serves it.
    const next = event('20240106T100000Z', 'FREQ=DAILY;COUNT=3');
    const rendered = cache.render({ id: 20, etag: '"2"' }, next, selection(99), null);
    assert.match(rendered, /DTSTART:20240106T100000Z/);
    assert.doesNotMatch(rendered, /20240105T100000Z/);
    assert.equal(cache.stats()!.entries, 1);
    assert.ok(cache.stats()!.bytes < stats.bytes, "the old version's renders went with it");
  });

  it('evicts least recently used entries to stay under the byte budget', () => {
    cache = ObjectCache.ofBytes(64 * 1024);
    for (let i = 0; i < 200; i++) cachedTree({ id: 100 + i, etag: '"x"' }, event('20240105T100000Z'));
    const stats = cache.stats()!;
    assert.ok(stats.bytes <= 64 * 1024);
    assert.ok(stats.evictions > 0);
  });

  it('a budget of 0 turns it off; results are the same', () => {
    cache = ObjectCache.ofBytes(0);
    assert.equal(cache.enabled, false);
    assert.equal(cache.stats(), null);
    const text = event('20240105T100000Z', 'FREQ=WEEKLY');
    const a = cachedEventIntervals({ id: 5, etag: '"a"' }, text, null, JAN.end);
    const b = cachedEventIntervals({ id: 5, etag: '"a"' }, text, null, JAN.end);
    assert.notEqual(a, b);
    assert.deepEqual([...a], [...b]);
    assert.equal(cachedTree({ id: 6, etag: '"a"' }, 'not a calendar'), null);
  });
});

describe('object cache: expanded windows', () => {
  it('expands a lone event whose span the index marks exact from its text: nothing parsed or kept, the same text (RFC 4791 §9.6.5)', () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024);
    const text = event('20240105T100000Z');
    const start = Date.parse('2024-01-05T10:00:00Z');
    const row = {
      id: 30,
      etag: '"1"',
      spanExact: true,
      component: 'VEVENT',
      firstStart: start,
      lastEnd: start + 3_600_000,
    };
    const week: CalendarDataRequest = {
      contentType: 'text/calendar',
      expand: { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 8) },
    };
    const fromText = cache.render(row, text, week, null);
    assert.equal(cache.stats()!.entries, 0, 'no parsed object kept');
    assert.match(fromText, /\r\nDTSTART:20240105T100000Z\r\nDURATION:PT1H\r\n/);
    // Without the index columns: from the parsed object, the same text.
    assert.equal(cache.render({ id: 30, etag: '"1"' }, text, week, null), fromText);
    assert.equal(cache.stats()!.entries, 1);
    // A window it does not overlap: no instance, as the parsed object gives it.
    const later: CalendarDataRequest = { ...week, expand: { start: Date.UTC(2024, 0, 8), end: Date.UTC(2024, 0, 15) } };
    assert.doesNotMatch(cache.render(row, text, later, null), /BEGIN:VEVENT/);
  });

  it('keeps no rendering of one range (RFC 4791 §9.6.5 expand): windows asked once must not push the parsed objects out', () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024);
    const text = event('20240105T100000Z', 'FREQ=DAILY');
    const week = (n: number): CalendarDataRequest => ({
      contentType: 'text/calendar',
      expand: { start: Date.UTC(2024, 0, 10, 0, 0, n), end: Date.UTC(2024, 0, 17, 0, 0, n) },
    });
    const tree = cachedTree({ id: 21, etag: '"1"' }, text);
    const before = cache.stats()!.bytes;
    const first = cache.render({ id: 21, etag: '"1"' }, text, week(0), null);
    assert.equal((first.match(/BEGIN:VEVENT/g) ?? []).length, 7);
    for (let n = 1; n < 50; n++) cache.render({ id: 21, etag: '"1"' }, text, week(n), null);
    assert.equal(cache.stats()!.bytes, before, 'no bytes kept for 50 windows');
    // The same window again is computed from the kept tree, and gives the same text.
    assert.equal(cache.render({ id: 21, etag: '"1"' }, text, week(0), null), first);
    assert.equal(cache.stats()!.entries, 1);
    assert.equal(cachedTree({ id: 21, etag: '"1"' }, text), tree, 'the parsed object is the one kept');
  });
});

describe('object cache: expanded series (SeriesText)', () => {
  it('expands a series stored without its text from a SeriesText made once: the tree let go, nothing parsed again, the same text (RFC 4791 §9.6.5)', () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024);
    const text = event('20240105T100000Z', 'FREQ=DAILY;COUNT=40');
    const row = { id: 40, etag: '"1"' };
    // Stored before the series text was (its intervals alone): made from the parse.
    cache.keepStoredIntervals(row, { ...storedOf(text), seriesText: null });
    const week = (n: number): CalendarDataRequest => ({
      contentType: 'text/calendar',
      expand: { start: Date.UTC(2024, 0, 6 + n, 3), end: Date.UTC(2024, 0, 13 + n, 3) },
    });
    const fresh = ObjectCache.ofBytes(0);
    const first = cache.render(row, text, week(0), null);
    assert.equal(first, fresh.render(row, text, week(0), null));
    assert.equal((first.match(/BEGIN:VEVENT/g) ?? []).length, 7);
    assert.equal(cache.keptTree(row), undefined, 'the tree is let go once the series is made ready');
    assert.equal(cache.keptText(row), text, 'its text is kept: a query need not read the body');
    // Later windows read neither the text nor a tree: a text that is no calendar gives the same answers.
    for (let n = 1; n < 5; n++)
      assert.equal(cache.render(row, 'not a calendar', week(n), null), fresh.render(row, text, week(n), null));
    // Past its intervals (COUNT=40 ends in February): the parsed object answers, no instance.
    const march: CalendarDataRequest = { contentType: 'text/calendar', expand: MAR };
    assert.doesNotMatch(cache.render(row, text, march, null), /BEGIN:VEVENT/);
    // A new version is made ready anew.
    const moved = text.replace('20240105T100000Z', '20240105T110000Z');
    const row2 = { id: 40, etag: '"2"' };
    cache.keepStoredIntervals(row2, storedOf(moved));
    assert.match(cache.render(row2, moved, week(0), null), /DTSTART:20240106T110000Z/);
  });

  it('expands a series from the SeriesText stored with its intervals: nothing parsed at all, the same text (RFC 4791 §9.6.5)', () => {
    cache = ObjectCache.ofBytes(64 * 1024 * 1024);
    const text = event('20240105T100000Z', 'FREQ=WEEKLY;COUNT=40');
    const row = { id: 41, etag: '"1"' };
    const stored = storedOf(text);
    assert.ok(stored.seriesText, 'the index wrote it');
    cache.keepStoredIntervals(row, stored);
    const fresh = ObjectCache.ofBytes(0);
    for (let n = 0; n < 4; n++) {
      const month: CalendarDataRequest = {
        contentType: 'text/calendar',
        expand: { start: Date.UTC(2024, n, 3), end: Date.UTC(2024, n + 1, 3) },
      };
      // A text that is no calendar: nothing reads it.
      assert.equal(cache.render(row, 'not a calendar', month, null), fresh.render(row, text, month, null));
    }
    assert.equal(cache.keptTree(row), undefined);
    // A damaged text stored with them: made from the parse instead, the same answer.
    const row2 = { id: 42, etag: '"1"' };
    cache.keepStoredIntervals(row2, { ...stored, seriesText: '{"v":1' });
    const jan: CalendarDataRequest = { contentType: 'text/calendar', expand: JAN };
    assert.equal(cache.render(row2, text, jan, null), fresh.render(row2, text, jan, null));
  });
});
