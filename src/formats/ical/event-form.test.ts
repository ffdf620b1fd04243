/**
 * The event editor's model (event-form.ts): a form written into iCalendar, and edits of one
 * occurrence (RFC 5545 §3.8.4.4 RECURRENCE-ID), this and following (RRULE UNTIL, §3.3.10) or the
 * whole series; deleting one occurrence (EXDATE, §3.8.5.1).
 */
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './edit-time.js';
import { createEvent, deleteEvent, editEvent, formWithTimes, readEvent, type EventForm } from './event-form.js';
import { parseCalendar as parseObject } from './parse.js';
import { validateCalendarObject } from './validate.js';
import { expand } from './occurrences.js';

const form = (patch: Partial<EventForm> = {}): EventForm => ({
  title: 'Review',
  location: 'Room 1',
  description: 'Line one\nLine two; with, punctuation',
  allDay: false,
  start: '2026-12-01T10:00',
  end: '2026-12-01T11:00',
  tz: 'Europe/Berlin',
  reminders: [15],
  organizer: null,
  attendees: [],
  rule: { freq: 'WEEKLY', interval: 1, byDay: ['TU'], monthly: 'date', end: 'never' },
  ...patch,
});
const month = (data: string) =>
  expand(parseCalendar(data), new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).sort(
    (a, b) => +a.start - +b.start,
  );

describe('event editor model', () => {
  it('a new weekly event: TZID with its VTIMEZONE, a VALARM, text kept exactly; the server accepts it', () => {
    const { uid, data } = createEvent(form(), 'u-1');
    assert.equal(uid, 'u-1');
    assert.match(data, /DTSTART;TZID=Europe\/Berlin:20261201T100000/);
    assert.match(data, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);
    assert.match(data, /TRIGGER:-PT15M/);
    validateCalendarObject(parseObject(data), { components: ['VEVENT'] });
    const back = readEvent(parseCalendar(data), null);
    assert.equal(back.description, 'Line one\nLine two; with, punctuation');
    assert.equal(back.start, '2026-12-01T10:00');
    assert.deepEqual(back.reminders, [15]);
    assert.equal(back.rule?.freq, 'WEEKLY');
    assert.equal(month(data).length, 5);
  });

  it("edit this occurrence: an override with RECURRENCE-ID in the master's zone; the series unchanged", () => {
    const { data } = createEvent(form(), 'u-2');
    const occ = month(data)[1]!;
    const f = readEvent(parseCalendar(data), occ);
    assert.equal(f.start, '2026-12-08T10:00');
    const { update } = editEvent(
      data,
      { ...f, title: 'Moved', start: '2026-12-08T15:00', end: '2026-12-08T16:00' },
      occ,
      'this',
    );
    assert.match(update!, /RECURRENCE-ID;TZID=Europe\/Berlin:20261208T100000/);
    const got = month(update!);
    assert.deepEqual(got.map((o) => `${o.title}@${o.start.toISOString()}`).slice(0, 3), [
      'Review@2026-12-01T09:00:00.000Z',
      'Moved@2026-12-08T14:00:00.000Z',
      'Review@2026-12-15T09:00:00.000Z',
    ]);
    const again = readEvent(parseCalendar(update!), got[1]!);
    assert.equal(again.title, 'Moved');
  });

  it('edit this and following: the old series ends before, a new one starts there, RELATED-TO the old', () => {
    const { data } = createEvent(form(), 'u-3');
    const occ = month(data)[2]!;
    const r = editEvent(data, { ...readEvent(parseCalendar(data), occ), title: 'New era' }, occ, 'following');
    assert.match(r.update!, /RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T085959Z/);
    assert.deepEqual(
      month(r.update!).map((o) => o.title),
      ['Review', 'Review'],
    );
    assert.match(r.create!.data, /RELATED-TO:u-3/);
    assert.equal(month(r.create!.data)[0]!.start.toISOString(), '2026-12-15T09:00:00.000Z');
  });

  it('edit all from an occurrence moves the series by the same amount', () => {
    const { data } = createEvent(form(), 'u-4');
    const occ = month(data)[1]!;
    const r = editEvent(
      data,
      { ...readEvent(parseCalendar(data), occ), start: '2026-12-08T12:00', end: '2026-12-08T13:00' },
      occ,
      'all',
    );
    assert.equal(month(r.update!)[0]!.start.toISOString(), '2026-12-01T11:00:00.000Z');
  });

  it("delete one occurrence adds an EXDATE in the DTSTART's form; delete all removes the object", () => {
    const { data } = createEvent(form(), 'u-5');
    const occ = month(data)[3]!;
    const r = deleteEvent(data, occ, 'this');
    assert.match(r.update!, /EXDATE;TZID=Europe\/Berlin:20261222T100000/);
    assert.equal(month(r.update!).length, 4);
    assert.equal(deleteEvent(data, occ, 'all').update, null);
  });

  it('an all-day event: DATE values, exclusive end; dragged times map back to dates', () => {
    const { data } = createEvent(
      form({ allDay: true, start: '2026-12-22', end: '2026-12-25', rule: null, reminders: [] }),
      'u-6',
    );
    assert.match(data, /DTSTART;VALUE=DATE:20261222/);
    assert.match(data, /DTEND;VALUE=DATE:20261225/);
    const f = formWithTimes(readEvent(parseCalendar(data), null), new Date(2026, 11, 23), new Date(2026, 11, 26), true);
    assert.deepEqual([f.start, f.end], ['2026-12-23', '2026-12-26']);
  });
});
