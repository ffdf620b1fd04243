/**
 * Issue #20: calendar data prepared ahead of its write (by `almanac import`'s worker) is used by
 * the write path only for the very same bytes, label and limits, once; anything else is
 * prepared again, and a refusal is always the write path's own.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import {
  forgetPreparedAhead,
  offerPreparedCalendarData,
  prepareCalendarObject,
  preparedAheadStats,
  preparedCalendarData,
  type CalendarLimits,
} from './object.js';
import { limitsWithin, SUPPORTED_COMPONENTS } from './settings.js';

/** A collection with no other object (the only read of the prepare: the UID conflict query). */
const reader = { queryObjects: () => Promise.resolve([]) } as unknown as StoreReader;
const collection = { id: 1, path: '/calendars/alice/default' } as Resource;
const limits: CalendarLimits = limitsWithin({ components: [...SUPPORTED_COMPONENTS], timezone: null }, 1 << 20);

const text = (uid: string, extra = ''): Uint8Array =>
  new TextEncoder().encode(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//t//t//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240101T100000Z',
      'RRULE:FREQ=DAILY;COUNT=3',
      ...(extra ? [extra] : []),
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

const prepare = (body: Uint8Array, l: CalendarLimits = limits, type = 'text/calendar') =>
  prepareCalendarObject(reader, collection, `${collection.path}/x.ics`, body, type, l);

/** Offer a marked result for `body`, so that a use of it shows in the UID. */
async function offerMarked(body: Uint8Array, l: CalendarLimits = limits): Promise<void> {
  const real = await preparedCalendarData(body, 'text/calendar', l);
  offerPreparedCalendarData(body, 'text/calendar', l, { ...real, uid: 'from-ahead' });
}

describe('prepared ahead (issue #20): used only for the same bytes and limits, once', () => {
  afterEach(() => forgetPreparedAhead());

  it('the write path takes an offered result for the same bytes, label and limits, once', async () => {
    const body = text('a');
    const before = preparedAheadStats().hits;
    await offerMarked(body);
    assert.equal((await prepare(body)).uid, 'from-ahead');
    assert.equal(preparedAheadStats().hits, before + 1);
    assert.equal(preparedAheadStats().entries, 0, 'taken when used');
    assert.equal((await prepare(body)).uid, 'a', 'prepared again the second time');
  });

  it('other bytes, another label or other limits are prepared again', async () => {
    const body = text('b');
    await offerMarked(body);
    assert.equal((await prepare(text('b', 'SUMMARY:x'))).uid, 'b');
    assert.equal((await prepare(Uint8Array.from(body), limits, 'text/plain')).uid, 'b');
    assert.equal(
      await prepare(body, { ...limits, maxInstances: 2 }).catch((e: Error) => e.message),
      'the object has more than 2 instances',
    );
    assert.equal((await prepare(body, { ...limits, components: ['VEVENT'] })).uid, 'b');
    assert.equal(
      (await prepare(Uint8Array.from(body))).uid,
      'from-ahead',
      'a copy of the same bytes is the same input',
    );
  });

  it('a refused object is never offered: the write path refuses it with its own message', async () => {
    const body = text('c', 'DTEND:2024-01-01');
    const direct = await preparedCalendarData(body, 'text/calendar', limits).catch((e: Error) => e.message);
    assert.match(String(direct), /DTEND/);
    assert.equal(await prepare(body).catch((e: Error) => e.message), direct);
  });
});
