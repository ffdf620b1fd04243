import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerInvitation, readInvitation } from './invitation.js';

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
