/** The UIDs the scheduling lock is taken on (RFC 5545 §3.8.4.7 UID, §3.1 folding, §3.3.11 TEXT escapes). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarUids } from './uid-lock.js';

const enc = new TextEncoder();
const cal = (...lines: string[]): Uint8Array =>
  enc.encode(['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n'));

describe('scheduling lock keys: calendarUids', () => {
  it('reads the UID of each component one level inside VCALENDAR, once', () => {
    const body = cal(
      'BEGIN:VEVENT',
      'UID:abc@example.com',
      'BEGIN:VALARM',
      'UID:alarm-1',
      'ACTION:DISPLAY',
      'END:VALARM',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'RECURRENCE-ID:20270101T090000Z',
      'UID:abc@example.com',
      'END:VEVENT',
    );
    assert.deepEqual(calendarUids(body), ['abc@example.com'], 'an alarm UID (RFC 9074) is not the event UID');
  });

  it('unfolds lines, skips parameters (quoted colons too) and undoes TEXT escapes, as the parser indexes it', () => {
    const body = cal('BEGIN:VTODO', 'UID;X-A="a:b":long-', ' uid\\,with\\;escapes', 'END:VTODO');
    assert.deepEqual(calendarUids(body), ['long-uid,with;escapes']);
  });

  it('is empty for a body that is no iCalendar object', () => {
    assert.deepEqual(calendarUids(enc.encode('BEGIN:VCARD\r\nUID:x\r\nEND:VCARD\r\n')), []);
    assert.deepEqual(calendarUids(enc.encode('plain text')), []);
  });
});
