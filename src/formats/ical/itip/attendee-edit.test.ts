/**
 * RFC 6638 §3.2.2.1 "Allowed Attendee Changes" applied to lossy copies (SyncML phones): only the
 * attendee's own PARTSTAT, TRANSP/PERCENT-COMPLETE/COMPLETED, alarms and added EXDATEs are taken
 * from the edit; the organizer, other attendees, parameters and X- properties stay as stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAttendeeCopy, mergeAttendeeEdit } from './attendee-edit.js';
import { planReply } from './reply.js';
import { parseItip } from './scheduling-object.js';

const NOW = new Date('2026-12-04T12:00:00Z');
const BOB = new Set(['mailto:bob@example.com', '/dav/principals/users/bob/']);

const cal = (...comps: string[][]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...comps.flat(), 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...props: string[]): string[] => ['BEGIN:VEVENT', 'UID:inv1', ...props, 'END:VEVENT'];

const STORED_PROPS = [
  'DTSTAMP:20261201T000000Z',
  'DTSTART:20270310T100000Z',
  'DTEND:20270310T110000Z',
  'SUMMARY:Planning',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:alice@example.com',
  'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.com',
  'ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com',
  'X-ALICE-NOTE:kept',
];
const STORED = cal(vevent(...STORED_PROPS));

const merge = (edit: string, stored = STORED): string =>
  mergeAttendeeEdit(parseItip(stored), parseItip(edit), BOB)
    .toString()
    .replace(/\r\n[ \t]/g, '');
const attendee = (text: string, who: string): string =>
  text.split('\r\n').find((l) => l.startsWith('ATTENDEE') && l.endsWith(`:mailto:${who}@example.com`)) ?? '';

describe('RFC 6638 §3.2.2.1: an attendee edit from a lossy client', () => {
  it('a copy without ORGANIZER, other ATTENDEEs or X- properties: only Bob’s PARTSTAT is taken, the rest kept; the REPLY says ACCEPTED', () => {
    const edit = cal(
      vevent('DTSTART:20270310T100000Z', 'SUMMARY:Planning', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com'),
    );
    const out = merge(edit);
    assert.match(out, /ORGANIZER;CN=Alice:mailto:alice@example\.com/);
    assert.match(out, /X-ALICE-NOTE:kept/);
    assert.equal(attendee(out, 'carol'), 'ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com');
    // RSVP, CN and ROLE the phone dropped stay; PARTSTAT comes from the phone.
    assert.equal(
      attendee(out, 'bob'),
      'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.com',
    );
    assert.match(out, /DTEND:20270310T110000Z/);
    const reply = planReply(parseItip(STORED), parseItip(out), BOB, NOW);
    assert.equal(reply?.organizer, 'mailto:alice@example.com');
    assert.match(reply?.ics ?? '', /PARTSTAT=ACCEPTED/);
  });

  it('a copy naming Bob ORGANIZER, with another SUMMARY and times: the organizer’s fields stay (Bob is no organizer, no CANCEL)', () => {
    const edit = cal(
      vevent(
        'DTSTART:20270311T100000Z',
        'SUMMARY:Mine now',
        'ORGANIZER:mailto:bob@example.com',
        'ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com',
      ),
    );
    const out = merge(edit);
    assert.match(out, /ORGANIZER;CN=Alice:mailto:alice@example\.com/);
    assert.match(out, /SUMMARY:Planning/);
    assert.match(out, /DTSTART:20270310T100000Z/);
    assert.match(attendee(out, 'bob'), /PARTSTAT=DECLINED/);
    assert.ok(isAttendeeCopy(parseItip(out), BOB), 'still Bob’s attendee copy');
  });

  it('an ATTENDEE without PARTSTAT, or no own ATTENDEE at all, keeps the stored PARTSTAT: the merge changes nothing', () => {
    for (const mine of ['ATTENDEE;CN=Bob:mailto:bob@example.com', '']) {
      const edit = cal(vevent('SUMMARY:Planning', ...(mine ? [mine] : [])));
      assert.equal(
        merge(edit),
        parseItip(STORED)
          .toString()
          .replace(/\r\n[ \t]/g, ''),
      );
    }
  });

  it('TRANSP, alarms and COMPLETED are the attendee’s; an edit without alarms keeps the stored ones', () => {
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER:-PT15M', 'END:VALARM'];
    const stored = cal([...vevent(...STORED_PROPS).slice(0, -1), ...alarm, 'END:VEVENT']);
    const withAlarm = merge(cal(vevent('TRANSP:TRANSPARENT', 'SUMMARY:Planning')), stored);
    assert.match(withAlarm, /TRANSP:TRANSPARENT/);
    assert.match(withAlarm, /TRIGGER:-PT15M/);
    const newAlarm = ['BEGIN:VALARM', 'ACTION:AUDIO', 'TRIGGER:-PT5M', 'END:VALARM'];
    const replaced = merge(cal([...vevent('SUMMARY:Planning').slice(0, -1), ...newAlarm, 'END:VEVENT']), stored);
    assert.match(replaced, /TRIGGER:-PT5M/);
    assert.doesNotMatch(replaced, /TRIGGER:-PT15M/);
  });

  it('item 8: an EXDATE the edit adds is taken and removes the override of that instance; an override only the edit has is not', () => {
    const stored = cal(
      vevent(...STORED_PROPS, 'RRULE:FREQ=DAILY;COUNT=3'),
      vevent('RECURRENCE-ID:20270311T100000Z', 'DTSTART:20270311T120000Z', 'ORGANIZER:mailto:alice@example.com'),
    );
    const edit = cal(
      vevent('RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:20270311T100000Z'),
      vevent('RECURRENCE-ID:20270312T100000Z', 'SUMMARY:phone-only override'),
    );
    const out = merge(edit, stored);
    assert.match(out, /EXDATE:20270311T100000Z/);
    assert.doesNotMatch(out, /RECURRENCE-ID/);
    assert.doesNotMatch(out, /phone-only override/);
  });

  it('isAttendeeCopy: not the organizer’s copy, not SCHEDULE-AGENT=CLIENT, not an object without ORGANIZER or without Bob', () => {
    assert.ok(isAttendeeCopy(parseItip(STORED), BOB));
    assert.ok(!isAttendeeCopy(parseItip(STORED), new Set(['mailto:alice@example.com'])));
    assert.ok(!isAttendeeCopy(parseItip(STORED.replace('ORGANIZER;CN=Alice', 'ORGANIZER;SCHEDULE-AGENT=CLIENT')), BOB));
    assert.ok(!isAttendeeCopy(parseItip(cal(vevent('SUMMARY:x'))), BOB));
    assert.ok(!isAttendeeCopy(parseItip(STORED), new Set(['mailto:dave@example.com'])));
  });
});
