import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyFromIntervals, busyPeriodsWork, freeBusyCalendar, type BusyPeriod } from './freebusy.js';
import { ICAL } from './ical.js';
import { utcTime } from './time.js';
import { indexCalendarObject } from './object-index.js';
import { ABSOLUTE, cal, intervalInstants } from './recurring-shapes.fixture.js';
import { runNow } from './work.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00Z');

describe('RFC 4791 §7.10 busy time from stored instance intervals (busyFromIntervals)', () => {
  it('equals the busy periods walked with ical.js for every window around every instance', () => {
    let compared = 0;
    for (const [name, events] of ABSOLUTE) {
      const root = cal(...events);
      const ix = indexCalendarObject(root, 'VEVENT', NOW);
      const triples = ix.intervals as Float64Array;
      for (const t of intervalInstants(triples)) {
        for (const s of [t - DAY, t - 1, t, t + 1]) {
          for (const len of [1, 1000, 3_600_000, DAY, 40 * DAY]) {
            const range = { start: s, end: s + len };
            if (ix.intervalsUntil !== null && range.end > ix.intervalsUntil) continue;
            const walked = runNow(busyPeriodsWork(root, range, null));
            assert.deepEqual(busyFromIntervals(triples, range), walked, `${name}: [${range.start}, ${range.end})`);
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 500, `${compared} windows compared`);
  });
});

/** The VFREEBUSY ical.js writes for merged periods (what freeBusyCalendar wrote through it before). */
function icalJsFreeBusy(range: { start: number; end: number }, merged: readonly BusyPeriod[], now: number): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', '-//Almanac//CalDAV//EN');
  const fb = new ICAL.Component('vfreebusy');
  fb.addPropertyWithValue('dtstamp', utcTime(now - (now % 1000)));
  fb.addPropertyWithValue('dtstart', utcTime(range.start));
  fb.addPropertyWithValue('dtend', utcTime(range.end));
  for (const p of merged) {
    const prop = new ICAL.Property('freebusy');
    prop.setValue(ICAL.Period.fromData({ start: utcTime(p.start), end: utcTime(p.end), duration: undefined as never }));
    if (p.type !== 'BUSY') prop.setParameter('fbtype', p.type);
    fb.addProperty(prop);
  }
  cal.addSubcomponent(fb);
  return cal.toString() + '\r\n';
}

describe('RFC 4791 §7.10.1 the VFREEBUSY answer written as text (freeBusyCalendar)', () => {
  it('is the text ical.js writes for the same merged periods, and parses back to them', () => {
    const h = 3_600_000;
    const range = { start: NOW, end: NOW + 7 * DAY };
    const periods: BusyPeriod[] = [
      { start: NOW + 2 * h, end: NOW + 3 * h, type: 'BUSY' },
      { start: NOW + 2.5 * h, end: NOW + 4 * h, type: 'BUSY' }, // merged with the one before
      { start: NOW + 2 * h, end: NOW + 3 * h, type: 'BUSY-TENTATIVE' },
      { start: NOW + DAY, end: NOW + DAY + 1_800_000, type: 'BUSY-UNAVAILABLE' },
      { start: NOW + 6 * DAY, end: NOW + 7 * DAY, type: 'BUSY' },
    ];
    const now = Date.parse('2024-05-31T12:34:56.789Z');
    const text = freeBusyCalendar(range, periods, now);
    const merged: BusyPeriod[] = [
      { start: NOW + 2 * h, end: NOW + 4 * h, type: 'BUSY' },
      { start: NOW + 2 * h, end: NOW + 3 * h, type: 'BUSY-TENTATIVE' },
      { start: NOW + DAY, end: NOW + DAY + 1_800_000, type: 'BUSY-UNAVAILABLE' },
      { start: NOW + 6 * DAY, end: NOW + 7 * DAY, type: 'BUSY' },
    ];
    assert.equal(text, icalJsFreeBusy(range, merged, now));
    assert.equal(freeBusyCalendar(range, [], now), icalJsFreeBusy(range, [], now));
    const fb = new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstSubcomponent('vfreebusy')!;
    assert.equal(fb.getFirstPropertyValue('dtstamp')?.toString(), '2024-05-31T12:34:56Z');
    assert.deepEqual(
      fb.getAllProperties('freebusy').map((p) => String(p.getParameter('fbtype') ?? 'BUSY')),
      merged.map((p) => p.type),
    );
  });
});
