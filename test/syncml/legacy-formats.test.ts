/** vCard 2.1 ⇄ 3.0 and vCalendar 1.0 ⇄ iCalendar 2.0 fixtures from the wire (digest §14). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { icalendarToVcalendar, vcalendarToIcalendar } from '../../src/formats/legacy/vcalendar.js';
import { vcard21ToVcard30, vcard30ToVcard21 } from '../../src/formats/legacy/vcard21.js';
import { rrule10To20 } from '../../src/formats/legacy/rrule10.js';

const V21 = [
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N:Contact 001;SyncTest',
  'TEL;CELL:+15550000001',
  'EMAIL;INTERNET:a@example.org',
  'TITLE;CHARSET=UTF-8:Zoë Ångström, 日本語 ümlaut & €uro',
  'NOTE;ENCODING=QUOTED-PRINTABLE:initial=0D=0Asecond line; with=',
  ' semicolon, and comma',
  'END:VCARD',
  '',
].join('\r\n');

describe('vCard 2.1 → 3.0 (digest §14)', () => {
  const v30 = vcard21ToVcard30(V21);
  it('bare type parameters become TYPE=', () => assert.match(v30, /^TEL;TYPE=CELL:\+15550000001$/m));
  it('8-bit CHARSET=UTF-8 text is kept and escaped for 3.0', () =>
    assert.match(v30, /^TITLE:Zoë Ångström\\, 日本語 ümlaut & €uro$/m));
  it('quoted-printable with a soft line break decodes; CRLF becomes \\n', () =>
    assert.match(v30, /^NOTE:initial\\nsecond line\\; with semicolon\\, and comma$/m));
  it('FN is added from N (RFC 2426 §3.1.1)', () => assert.match(v30, /^FN:SyncTest Contact 001$/m));
  it('VERSION:3.0', () => assert.match(v30, /^VERSION:3.0$/m));
  it('and back to 2.1 with QP for line breaks and CHARSET for non-ASCII', () => {
    const back = vcard30ToVcard21(v30);
    assert.match(back, /^NOTE;ENCODING=QUOTED-PRINTABLE:initial=0D=0Asecond line; with semicolon, and comma$/m);
    assert.match(back, /^TITLE;CHARSET=UTF-8:Zoë Ångström, 日本語 ümlaut & €uro$/m);
    assert.match(back, /^TEL;CELL:\+15550000001$/m);
  });
});

describe('vCalendar 1.0 ⇄ iCalendar 2.0 (digest §14)', () => {
  it('1.0 RRULE grammar: W1 MO TU 20270201T110000Z, D1 #5, MD1 15 #0, MP1 1+ MO #0, YM1 6 #0', () => {
    assert.equal(rrule10To20('W1 MO TU 20270201T110000Z'), 'FREQ=WEEKLY;BYDAY=MO,TU;UNTIL=20270201T110000Z');
    assert.equal(rrule10To20('D1 #5'), 'FREQ=DAILY;COUNT=5');
    assert.equal(rrule10To20('MD1 15 #0'), 'FREQ=MONTHLY;BYMONTHDAY=15');
    assert.equal(rrule10To20('MP1 1+ MO #0'), 'FREQ=MONTHLY;BYDAY=1MO');
    assert.equal(rrule10To20('YM1 6 #0'), 'FREQ=YEARLY;BYMONTH=6');
    assert.equal(rrule10To20('D2'), 'FREQ=DAILY;INTERVAL=2;COUNT=2', 'no duration = #2 (vCalendar 1.0 §3.7.3)');
  });
  it('TZ + DAYLIGHT: floating device times become UTC', () => {
    const ical = vcalendarToIcalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:1.0',
        'TZ:+01:00',
        'DAYLIGHT:TRUE;+02;20270328T010000Z;20271031T010000Z;MEZ;MESZ',
        'BEGIN:VEVENT',
        'DTSTART:20270701T120000',
        'DTEND:20270101T120000',
        'SUMMARY:x',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    assert.match(ical, /^DTSTART:20270701T100000Z$/m, 'summer: +02');
    assert.match(ical, /^DTEND:20270101T110000Z$/m, 'winter: +01');
  });
  it('all-day T000000–T235959 becomes VALUE=DATE; NEEDS ACTION, AALARM/DALARM, QP text', () => {
    const ical = vcalendarToIcalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:1.0',
        'BEGIN:VEVENT',
        'DTSTART:20270102T000000',
        'DTEND:20270102T235959',
        'SUMMARY:day',
        'DESCRIPTION;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:initial=0D=0A=C3=9Cmlaut',
        'DALARM:20270101T090000Z;;;wake',
        'END:VEVENT',
        'BEGIN:VTODO',
        'DUE:20270302T000000',
        'STATUS:NEEDS ACTION',
        'SUMMARY:t',
        'END:VTODO',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    assert.match(ical, /^DTSTART;VALUE=DATE:20270102$/m);
    assert.match(ical, /^DTEND;VALUE=DATE:20270103$/m);
    assert.match(ical, /^DESCRIPTION:initial\\nÜmlaut$/m);
    assert.match(ical, /^TRIGGER;VALUE=DATE-TIME:20270101T090000Z$/m);
    assert.match(ical, /^STATUS:NEEDS-ACTION$/m);
  });
  it('iCalendar with TZID and COUNT → vCalendar 1.0 in UTC with W1 #5', () => {
    const v = icalendarToVcalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:x',
        'BEGIN:VEVENT',
        'UID:u',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;VALUE=DATE:20270102',
        'DTEND;VALUE=DATE:20270103',
        'RRULE:FREQ=WEEKLY;COUNT=5',
        'SUMMARY:a',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    assert.match(v, /^VERSION:1.0$/m);
    assert.match(v, /^DTSTART:20270102T000000$/m);
    assert.match(v, /^DTEND:20270102T235959$/m);
    assert.match(v, /^RRULE:W1 #5$/m);
  });
});
