import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeCalendarHeader, REPAIR_PRODID } from './header-repair.js';

const BARE = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

describe('RFC 5545 §3.6: VCALENDAR without VERSION or PRODID', () => {
  it('adds both right after BEGIN:VCALENDAR and keeps the rest byte for byte', () => {
    assert.equal(
      completeCalendarHeader(BARE, { version: false, prodid: false }),
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:${REPAIR_PRODID}\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
    );
  });
  it('adds only what is missing, with the line ending the text uses', () => {
    const lf = 'BEGIN:VCALENDAR\nPRODID:x\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR\n';
    assert.equal(
      completeCalendarHeader(lf, { version: false, prodid: true }),
      'BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR\n',
    );
  });
  it('leaves a complete header alone (null)', () => {
    assert.equal(completeCalendarHeader(BARE, { version: true, prodid: true }), null);
  });
});
