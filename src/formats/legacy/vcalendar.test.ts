/**
 * vCalendar 1.0 ⇄ iCalendar 2.0 (digest §14): an event with a weekly RRULE and escaped text
 * round-trips; the 1.0 RRULE grammar is used on the 1.0 side; input without structure yields an
 * empty calendar instead of throwing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { icalendarToVcalendar, vcalendarToIcalendar } from './vcalendar.js';

const ICAL = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:x',
  'BEGIN:VEVENT',
  'UID:e1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20270105T100000Z',
  'DTEND:20270105T110000Z',
  'SUMMARY:Ärger\\, groß\\; ja',
  'RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const prop = (text: string, name: string): string | undefined => new RegExp(`^${name}[;:](.*)$`, 'm').exec(text)?.[1];

describe('vCalendar 1.0 ⇄ iCalendar 2.0', () => {
  it('an event with a weekly RRULE: 2.0 → 1.0 → 2.0 keeps UID, times, text and the rule', () => {
    const vcal = icalendarToVcalendar(ICAL);
    assert.match(vcal, /^VERSION:1\.0$/m);
    assert.equal(prop(vcal, 'RRULE'), 'W1 TU #3', 'vCalendar 1.0 §3.6.8 grammar');
    const back = vcalendarToIcalendar(vcal);
    for (const name of ['UID', 'DTSTART', 'DTEND', 'SUMMARY']) assert.equal(prop(back, name), prop(ICAL, name), name);
    assert.deepEqual(prop(back, 'RRULE')?.split(';').sort(), prop(ICAL, 'RRULE')?.split(';').sort());
  });

  it('input without a calendar does not throw: an empty VCALENDAR', () => {
    const out = vcalendarToIcalendar('garbage');
    assert.match(out, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    assert.doesNotMatch(out, /BEGIN:VEVENT/);
  });
});
