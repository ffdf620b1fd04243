import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataKind, wrongTargetReason } from './data-kind.js';

describe('formats dataKind (which collection an import file belongs in)', () => {
  it('RFC 5545 §3.4 / RFC 6350 §6.1.1: the first BEGIN line decides; a BOM and blank lines are skipped', () => {
    assert.equal(dataKind('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'), 'icalendar');
    assert.equal(dataKind('\uFEFF\r\n  begin:vcard\r\nVERSION:3.0\r\n'), 'vcard');
    assert.equal(dataKind('BEGIN:VCARDS\r\n'), null);
    assert.equal(dataKind('hello'), null);
    assert.equal(dataKind(''), null);
  });

  it('says why and what to choose instead', () => {
    assert.equal(wrongTargetReason('vcard'), 'this file holds contacts (vCard); choose an address book');
    assert.equal(wrongTargetReason('icalendar'), 'this file holds events and tasks (iCalendar); choose a calendar');
  });
});
