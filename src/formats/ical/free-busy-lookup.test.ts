/** RFC 6638 §5 busy-time lookups as the web app makes and reads them (free-busy-lookup.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyBlocks, freeBusyRequest } from './free-busy-lookup.js';
import { parseCalendar } from './parse.js';

describe('free/busy lookup (RFC 6638 §5, RFC 5545 §3.6.4)', () => {
  it('§5: the request is a METHOD:REQUEST VFREEBUSY with the organizer, one ATTENDEE per address and UTC bounds', () => {
    const text = freeBusyRequest(
      'alice@example.com',
      ['bob@example.com', 'carol@elsewhere.example'],
      new Date('2027-04-20T05:00:00Z'),
      new Date('2027-04-20T19:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
    );
    assert.match(text, /\r\nMETHOD:REQUEST\r\n/);
    assert.match(
      text,
      /\r\nDTSTART:20270420T050000Z\r\nDTEND:20270420T190000Z\r\nORGANIZER:mailto:alice@example\.com\r\nATTENDEE:mailto:bob@example\.com\r\nATTENDEE:mailto:carol@elsewhere\.example\r\n/,
    );
    assert.equal(parseCalendar(new TextEncoder().encode(text)).getFirstSubcomponent('vfreebusy') !== null, true);
  });

  it('§3.8.2.6: FREEBUSY periods (start/end and start/duration, several per line) in time order; FREE skipped', () => {
    const reply = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:x',
      'METHOD:REPLY',
      'BEGIN:VFREEBUSY',
      'UID:1',
      'DTSTAMP:20270101T000000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20270420T150000Z/PT30M',
      'FREEBUSY:20270420T110000Z/20270420T120000Z,20270420T080000Z/20270420T083000Z',
      'FREEBUSY;FBTYPE=FREE:20270420T130000Z/20270420T140000Z',
      'END:VFREEBUSY',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    assert.deepEqual(
      busyBlocks(reply).map((b) => [b.start.toISOString(), b.end.toISOString(), b.type]),
      [
        ['2027-04-20T08:00:00.000Z', '2027-04-20T08:30:00.000Z', 'BUSY'],
        ['2027-04-20T11:00:00.000Z', '2027-04-20T12:00:00.000Z', 'BUSY'],
        ['2027-04-20T15:00:00.000Z', '2027-04-20T15:30:00.000Z', 'BUSY-TENTATIVE'],
      ],
    );
  });

  it('an answer without calendar data (3.7 unknown user) or with garbage gives no blocks, never an exception', () => {
    assert.deepEqual(busyBlocks(''), []);
    assert.deepEqual(busyBlocks('not a calendar'), []);
    assert.deepEqual(busyBlocks('BEGIN:VCALENDAR\r\nBROKEN'), []);
  });
});
