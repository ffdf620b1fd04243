/**
 * vCalendar 1.0 §2.1.2 ATTENDEE (ROLE, STATUS, RSVP, EXPECT) ⇄ iCalendar 2.0 ORGANIZER and
 * ATTENDEE (RFC 5545 §3.8.4.1, §3.8.4.3): a scheduled event keeps its organizer and each
 * attendee's participation status both ways, in the forms the Synthesis engine (SyncEvolution,
 * many phones) writes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { icalendarToVcalendar, vcalendarToIcalendar } from './vcalendar.js';

const ICAL = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:x',
  'BEGIN:VEVENT',
  'UID:inv1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20270105T100000Z',
  'DTEND:20270105T110000Z',
  'SUMMARY:Planning',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:alice@example.com',
  'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.com',
  'ATTENDEE;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:mailto:carol@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const lines = (text: string, name: string): string[] =>
  text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l.startsWith(`${name};`) || l.startsWith(`${name}:`));

const vcal10 = (...props: string[]): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:1.0',
    'BEGIN:VEVENT',
    'UID:inv1',
    'DTSTART:20270105T100000Z',
    'DTEND:20270105T110000Z',
    'SUMMARY:Planning',
    ...props,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('vCalendar 1.0 ATTENDEE ⇄ iCalendar 2.0 ORGANIZER/ATTENDEE', () => {
  it('2.0 → 1.0: the organizer is ATTENDEE;ROLE=ORGANIZER, PARTSTAT becomes STATUS (NEEDS ACTION spelled with a space), addresses bare', () => {
    assert.deepEqual(lines(icalendarToVcalendar(ICAL), 'ATTENDEE'), [
      'ATTENDEE;ROLE=ORGANIZER:alice@example.com',
      'ATTENDEE;ROLE=ATTENDEE;STATUS=ACCEPTED;EXPECT=REQUIRE:alice@example.com',
      'ATTENDEE;ROLE=ATTENDEE;STATUS=NEEDS ACTION;RSVP=YES;EXPECT=REQUIRE:bob@example.com',
      'ATTENDEE;ROLE=ATTENDEE;STATUS=TENTATIVE;EXPECT=REQUEST:carol@example.com',
    ]);
  });

  it('2.0 → 1.0 → 2.0 keeps the organizer and every PARTSTAT', () => {
    const back = vcalendarToIcalendar(icalendarToVcalendar(ICAL));
    assert.deepEqual(lines(back, 'ORGANIZER'), ['ORGANIZER:mailto:alice@example.com']);
    assert.deepEqual(lines(back, 'ATTENDEE'), [
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:alice@example.com',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com',
      'ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:carol@example.com',
    ]);
  });

  it('1.0 → 2.0: STATUS=ACCEPTED/DECLINED/TENTATIVE/NEEDS ACTION/SENT/CONFIRMED map to PARTSTAT; no STATUS gives none', () => {
    const ical = vcalendarToIcalendar(
      vcal10(
        'ATTENDEE;STATUS=ACCEPTED:a@example.com',
        'ATTENDEE;STATUS=DECLINED:b@example.com',
        'ATTENDEE;STATUS=TENTATIVE:c@example.com',
        'ATTENDEE;STATUS=NEEDS ACTION:d@example.com',
        'ATTENDEE;STATUS=SENT:e@example.com',
        'ATTENDEE;STATUS=CONFIRMED:f@example.com',
        'ATTENDEE:g@example.com',
      ),
    );
    assert.deepEqual(lines(ical, 'ATTENDEE'), [
      'ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.com',
      'ATTENDEE;PARTSTAT=DECLINED:mailto:b@example.com',
      'ATTENDEE;PARTSTAT=TENTATIVE:mailto:c@example.com',
      'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:d@example.com',
      'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:e@example.com',
      'ATTENDEE;PARTSTAT=ACCEPTED:mailto:f@example.com',
      'ATTENDEE:mailto:g@example.com',
    ]);
  });

  it('1.0 → 2.0: the versit example forms (`Name <address>`, ROLE=OWNER, RSVP=YES, EXPECT) and a value without an address', () => {
    const ical = vcalendarToIcalendar(
      vcal10(
        'ATTENDEE;ROLE=ORGANIZER:"Alice A." <alice@example.com>',
        'ATTENDEE;ROLE=OWNER;STATUS=CONFIRMED:John Public <jpublic@host.com>',
        'ATTENDEE;RSVP=YES;EXPECT=REQUEST;STATUS=NEEDS ACTION:mailto:bob@example.com',
        'ATTENDEE:Somebody without address',
      ),
    );
    assert.deepEqual(lines(ical, 'ORGANIZER'), ['ORGANIZER;CN=Alice A.:mailto:alice@example.com']);
    assert.deepEqual(lines(ical, 'ATTENDEE'), [
      'ATTENDEE;CN=John Public;PARTSTAT=ACCEPTED:mailto:jpublic@host.com',
      'ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com',
    ]);
  });
});
