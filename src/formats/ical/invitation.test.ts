import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptProposal, answerInvitation, readInvitation, readProposal } from './invitation.js';

const REQUEST = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:inv-1',
  'DTSTAMP:20261201T000000Z',
  'DTSTART:20270110T100000Z',
  'DURATION:PT1H',
  'SEQUENCE:2',
  'SUMMARY:Planning',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const bob = { emails: ['bob@example.com'], name: 'Bob' };

describe('an invitation in the scheduling inbox (RFC 6638 §4)', () => {
  it('reads what the request is', () => {
    const inv = readInvitation(REQUEST);
    assert.deepEqual(inv, {
      uid: 'inv-1',
      summary: 'Planning',
      start: new Date('2027-01-10T10:00:00Z'),
      allDay: false,
      organizer: { email: 'alice@example.com', name: 'Alice' },
      sequence: 2,
    });
  });

  it('is not a REPLY, a CANCEL or unreadable text', () => {
    assert.equal(readInvitation(REQUEST.replace('METHOD:REQUEST', 'METHOD:REPLY')), null);
    assert.equal(readInvitation(REQUEST.replace('METHOD:REQUEST', 'METHOD:CANCEL')), null);
    assert.equal(readInvitation('BEGIN:VCALENDAR\r\nnot ical'), null);
  });

  it("§3.2.2: the answer is the request without METHOD, with the user's PARTSTAT only", () => {
    const copy = answerInvitation(REQUEST, bob, 'TENTATIVE', 'maybe late').replace(/\r\n[ \t]/g, '');
    assert.doesNotMatch(copy, /METHOD/);
    assert.match(copy, /ATTENDEE;PARTSTAT=TENTATIVE;X-RESPONSE-COMMENT=maybe late:mailto:bob@example\.com/);
    assert.match(copy, /ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example\.com/);
    assert.match(copy, /SEQUENCE:2/);
    assert.throws(() => answerInvitation(REQUEST, { emails: ['dave@example.com'], name: '' }, 'ACCEPTED', ''));
  });
});

const EVENT = REQUEST.replace('METHOD:REQUEST\r\n', '').replace(
  'SUMMARY:Planning',
  'SUMMARY:Planning\r\nLOCATION:Room 1',
);

// Outlook's "Propose new time": the attendee's COUNTER with the new times (RFC 5546 §3.2.7).
const COUNTER = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:Microsoft Exchange Server 2010',
  'METHOD:COUNTER',
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:inv-1',
  'DTSTAMP:20261202T000000Z',
  'ORGANIZER:mailto:alice@example.com',
  'ATTENDEE;CN=Dave;PARTSTAT=TENTATIVE:mailto:dave@elsewhere.example',
  'DTSTART;TZID=W. Europe Standard Time:20270110T150000',
  'DTEND;TZID=W. Europe Standard Time:20270110T160000',
  'COMMENT:Afternoon works better',
  'SUMMARY:Planning',
  'SEQUENCE:2',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe("a counter-proposal in the organizer's inbox (RFC 5546 §3.2.7)", () => {
  it('reads who proposes what', () => {
    const p = readProposal(COUNTER);
    assert.ok(p);
    assert.equal(p.uid, 'inv-1');
    assert.deepEqual(p.from, { email: 'dave@elsewhere.example', name: 'Dave' });
    assert.deepEqual(p.start, new Date('2027-01-10T14:00:00Z'));
    assert.deepEqual(p.end, new Date('2027-01-10T15:00:00Z'));
    assert.equal(p.comment, 'Afternoon works better');
    assert.equal(p.instance, '');
    assert.equal(readProposal(REQUEST), null);
  });

  it('accepted, the event takes the proposed times (its zone comes along); the rest stays', () => {
    const taken = acceptProposal(EVENT, COUNTER);
    assert.match(taken, /DTSTART;TZID=W\. Europe Standard Time:20270110T150000/);
    assert.match(taken, /DTEND;TZID=W\. Europe Standard Time:20270110T160000/);
    assert.doesNotMatch(taken, /DURATION/);
    assert.match(taken, /BEGIN:VTIMEZONE\r\nTZID:W\. Europe Standard Time/);
    assert.match(taken, /SUMMARY:Planning/);
    assert.match(taken, /LOCATION:Room 1/, 'a location the proposal leaves out is kept');
    assert.match(acceptProposal(EVENT, COUNTER.replace('COMMENT:', 'LOCATION:Room 2\r\nCOMMENT:')), /LOCATION:Room 2/);
    assert.match(taken, /PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example\.com/);
    assert.doesNotMatch(taken, /METHOD|COMMENT|dave@/);
  });

  it('a proposal for an occurrence the event does not have is refused', () => {
    const instance = COUNTER.replace('SUMMARY:Planning', 'RECURRENCE-ID:20270117T100000Z\r\nSUMMARY:Planning');
    assert.throws(() => acceptProposal(EVENT, instance), /occurrence/);
  });
});
