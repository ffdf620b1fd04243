/**
 * RFC 4791 §7.10 free-busy-query: the busy time of a lone non-recurring event with absolute times
 * comes from its index columns (domain/calendar/busy-time.ts `exactInstance`), with no parse, no
 * recurrence walk and no read of stored intervals (it has none): on a real SQLite store, through
 * the one write path. Events that may not be busy, and zero-length ones, are still walked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyTimeOf } from '../../src/domain/calendar/busy-time.js';
import { ObjectCache } from '../../src/domain/calendar/object-cache.js';
import { openCalendarStore, type CalendarStore } from '../helpers/calendar-store.js';
import { eventBody } from '../helpers/event-body.js';
import { writeAsDav } from '../helpers/write-as-dav.js';
import type { Store } from '../../src/store/store.js';

const CAL = '/calendars/alice/default';

const event = eventBody;

/** `store`, with the ids every call of `method` asks for added to `ids`. */
function recording(store: Store, method: 'readBodies' | 'readEventIntervals', ids: number[]): Store {
  const read = store[method].bind(store) as (ids: readonly number[]) => Promise<unknown>;
  return Object.assign(Object.create(store) as Store, {
    [method]: (asked: readonly number[]) => {
      ids.push(...asked);
      return read(asked);
    },
  });
}

let db: CalendarStore;
let store: Store;
let calendarId: number;
let alice: { id: number; name: string };

before(async () => {
  db = await openCalendarStore('almanac-busy-exact-');
  ({ store, calendarId, alice } = db);
  const objects: [string, string[]][] = [
    ['utc', ['DTSTART:20240102T100000Z', 'DTEND:20240102T110000Z']],
    ['duration', ['DTSTART:20240103T090000Z', 'DURATION:PT30M']],
    ['across-start', ['DTSTART:20231231T230000Z', 'DTEND:20240101T010000Z']],
    ['transparent', ['DTSTART:20240104T100000Z', 'DTEND:20240104T110000Z', 'TRANSP:TRANSPARENT']],
    ['zero-length', ['DTSTART:20240105T100000Z', 'DTEND:20240105T100000Z']],
  ];
  for (const [uid, lines] of objects) {
    await writeAsDav(store, alice, `${CAL}/${uid}.ics`, event(uid, lines));
  }
});
after(() => db.close());

describe('RFC 4791 §7.10 busy time of lone events from their index columns', () => {
  it('gives their busy periods clipped to the range without parsing them or reading intervals', async () => {
    const objects = ObjectCache.ofBytes(1 << 20);
    const parsed: string[] = [];
    const tree = objects.tree.bind(objects);
    objects.tree = (r, text) => {
      parsed.push(text.match(/UID:(\S+)/)?.[1] ?? '?');
      return tree(r, text);
    };
    const intervalsRead: number[] = [];
    const reader = recording(store, 'readEventIntervals', intervalsRead);
    const range = { start: Date.parse('2024-01-01T00:00:00Z'), end: Date.parse('2024-01-08T00:00:00Z') };
    const periods = await busyTimeOf(reader, calendarId, range, null, objects);
    const iso = (ms: number): string => new Date(ms).toISOString();
    assert.deepEqual(periods.map((p) => `${iso(p.start)}/${iso(p.end)} ${p.type}`).sort(), [
      '2024-01-01T00:00:00.000Z/2024-01-01T01:00:00.000Z BUSY',
      '2024-01-02T10:00:00.000Z/2024-01-02T11:00:00.000Z BUSY',
      '2024-01-03T09:00:00.000Z/2024-01-03T09:30:00.000Z BUSY',
    ]);
    assert.deepEqual(parsed.sort(), ['transparent', 'zero-length'], 'only what may not be plainly busy is walked');
    const lone = await Promise.all(
      ['utc', 'duration', 'across-start'].map((u) => store.getResource(`${CAL}/${u}.ics`)),
    );
    for (const r of lone) assert.ok(r && !intervalsRead.includes(r.id), `no intervals read for ${r?.path}`);
  });
});

describe('RFC 4791 §7.10 busy time: bodies of index-decided events read once (issue #20)', () => {
  it('a repeated query reads no body; a rewritten event is judged on its new text', async () => {
    const objects = ObjectCache.ofBytes(1 << 20);
    const bodiesRead: number[] = [];
    const reader = recording(store, 'readBodies', bodiesRead);
    const range = { start: Date.parse('2024-01-01T00:00:00Z'), end: Date.parse('2024-01-08T00:00:00Z') };
    const busy = async (): Promise<string[]> =>
      (await busyTimeOf(reader, calendarId, range, null, objects)).map((p) => new Date(p.start).toISOString()).sort();
    const first = await busy();
    assert.equal(first.length, 3);
    const readFirst = bodiesRead.length;
    assert.ok(readFirst > 0);
    bodiesRead.length = 0;
    assert.deepEqual(await busy(), first);
    assert.deepEqual(bodiesRead, [], 'no body read the second time');

    await writeAsDav(
      store,
      alice,
      `${CAL}/utc.ics`,
      event('utc', ['DTSTART:20240102T100000Z', 'DTEND:20240102T110000Z', 'TRANSP:TRANSPARENT']),
    );
    assert.deepEqual(await busy(), ['2024-01-01T00:00:00.000Z', '2024-01-03T09:00:00.000Z']);
  });
});
