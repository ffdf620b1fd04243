/**
 * RFC 4791 §7.8.1–§7.8.9: the calendar-query examples, run against the Appendix B collection.
 * Requests are the RFC's; where the RFC's printed answers disagree with its own Appendix B data
 * (errata 1526/2184 family: §7.8.5 shows a different abcd4), the expectation follows Appendix B.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  calendarData,
  loadAppendixB,
  names,
  query,
  report,
  startCalServer,
  unfold,
  type CalServer,
} from './caldav-client.js';

const WORK = '/dav/calendars/alice/work/';
let s: CalServer;

before(async () => {
  s = await startCalServer();
  await loadAppendixB(s.fetch);
});
after(() => s.close());

describe('RFC 4791 §7.8 calendar-query on the Appendix B collection', () => {
  it('Appendix B: an unfiltered VCALENDAR query returns all eight objects verbatim', async () => {
    const r = await report(s.fetch, WORK, query('<C:comp-filter name="VCALENDAR"/>', '<D:getetag/><C:calendar-data/>'));
    assert.equal(r.status, 207);
    assert.deepEqual(names(r.xml), [
      'abcd1.ics',
      'abcd2.ics',
      'abcd3.ics',
      'abcd4.ics',
      'abcd5.ics',
      'abcd6.ics',
      'abcd7.ics',
      'abcd8.ics',
    ]);
    const { APPENDIX_B } = await import('./appendix-b.js');
    // XML parsing turns CRLF into LF (XML 1.0 §2.11); GET shows the bytes are the client's.
    assert.equal(calendarData(r.xml).get('abcd3.ics'), APPENDIX_B['abcd3.ics']?.replace(/\r\n/g, '\n'));
    const got = await s.fetch(`${WORK}abcd3.ics`);
    assert.equal(await got.text(), APPENDIX_B['abcd3.ics'], 'data kept as the client sent it');
    assert.match(got.headers.get('content-type') ?? '', /^text\/calendar/);
  });

  it('§7.8.1 partial retrieval of events by time range', async () => {
    const cd = `<C:calendar-data><C:comp name="VCALENDAR"><C:prop name="VERSION"/><C:comp name="VEVENT">
      <C:prop name="SUMMARY"/><C:prop name="UID"/><C:prop name="DTSTART"/><C:prop name="DTEND"/><C:prop name="DURATION"/>
      <C:prop name="RRULE"/><C:prop name="RDATE"/><C:prop name="EXRULE"/><C:prop name="EXDATE"/><C:prop name="RECURRENCE-ID"/>
      </C:comp><C:comp name="VTIMEZONE"/></C:comp></C:calendar-data>`;
    const r = await report(
      s.fetch,
      WORK,
      query(
        `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
      <C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>`,
        `<D:getetag/>${cd}`,
      ),
    );
    assert.equal(r.status, 207);
    assert.deepEqual(names(r.xml), ['abcd2.ics', 'abcd3.ics']);
    const lines = unfold(calendarData(r.xml).get('abcd3.ics') ?? '');
    assert.ok(lines.includes('SUMMARY:Event #3'));
    assert.ok(lines.includes('VERSION:2.0'));
    assert.ok(
      !lines.some((l) => l.startsWith('PRODID') || l.startsWith('ATTENDEE') || l.startsWith('DTSTAMP')),
      lines.join('\n'),
    );
    assert.ok(lines.includes('BEGIN:VTIMEZONE'));
  });

  it('§7.8.2 limit-recurrence-set keeps the master and the overrides in range', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(
        `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
      <C:time-range start="20060103T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>`,
        '<C:calendar-data><C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/></C:calendar-data>',
      ),
    );
    assert.deepEqual(names(r.xml), ['abcd2.ics', 'abcd3.ics']);
    const lines = unfold(calendarData(r.xml).get('abcd2.ics') ?? '');
    assert.ok(lines.includes('RRULE:FREQ=DAILY;COUNT=5'));
    assert.ok(lines.includes('SUMMARY:Event #2 bis'));
  });

  it('§7.8.3 expand returns instances in UTC with RECURRENCE-ID and no VTIMEZONE', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(
        `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
      <C:time-range start="20060103T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>`,
        '<C:calendar-data><C:expand start="20060103T000000Z" end="20060105T000000Z"/></C:calendar-data>',
      ),
    );
    assert.deepEqual(names(r.xml), ['abcd2.ics', 'abcd3.ics']);
    const lines = unfold(calendarData(r.xml).get('abcd2.ics') ?? '');
    assert.ok(!lines.includes('BEGIN:VTIMEZONE'));
    assert.ok(!lines.some((l) => l.startsWith('RRULE')));
    assert.deepEqual(
      lines.filter((l) => l.startsWith('DTSTART')),
      ['DTSTART:20060103T170000Z', 'DTSTART:20060104T190000Z'],
    );
    assert.deepEqual(
      lines.filter((l) => l.startsWith('RECURRENCE-ID')),
      ['RECURRENCE-ID:20060103T170000Z', 'RECURRENCE-ID:20060104T170000Z'],
    );
    const ev3 = unfold(calendarData(r.xml).get('abcd3.ics') ?? '');
    assert.ok(ev3.includes('DTSTART:20060104T150000Z'));
  });

  it('§7.8.4 limit-freebusy-set returns only FREEBUSY periods in range', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(
        `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VFREEBUSY">
      <C:time-range start="20060102T000000Z" end="20060103T000000Z"/></C:comp-filter></C:comp-filter>`,
        '<C:calendar-data><C:limit-freebusy-set start="20060102T000000Z" end="20060103T000000Z"/></C:calendar-data>',
      ),
    );
    assert.deepEqual(names(r.xml), ['abcd8.ics']);
    const fb = unfold(calendarData(r.xml).get('abcd8.ics') ?? '').filter((l) => l.startsWith('FREEBUSY'));
    assert.deepEqual(fb, ['FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060102T100000Z/20060102T120000Z']);
  });

  it('§7.8.5 to-dos by alarm time range (VALARM §9.9; the trigger of a VTODO without DTSTART is read from DUE)', async () => {
    // abcd5: DUE;VALUE=DATE:20060106, TRIGGER -PT10M → 20060105T235000 (floating, read as UTC).
    const r = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VALARM">
      <C:time-range start="20060105T230000Z" end="20060106T000000Z"/></C:comp-filter></C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(r.xml), ['abcd5.ics']);
    const none = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VALARM">
      <C:time-range start="20060106T000000Z" end="20060106T010000Z"/></C:comp-filter></C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(none.xml), []);
  });

  it('§7.8.6 retrieval of an event by UID (i;octet)', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID">
      <C:text-match collation="i;octet">DC6C50A017428C5216A2F1CD@example.com</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(r.xml), ['abcd3.ics']);
    const lower = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID">
      <C:text-match collation="i;octet">dc6c50a017428c5216a2f1cd@example.com</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(lower.xml), [], 'i;octet is case-sensitive');
  });

  it('§7.8.7 retrieval of events by PARTSTAT (param-filter)', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE">
      <C:text-match collation="i;ascii-casemap">mailto:lisa@example.com</C:text-match>
      <C:param-filter name="PARTSTAT"><C:text-match collation="i;ascii-casemap">NEEDS-ACTION</C:text-match></C:param-filter>
      </C:prop-filter></C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(r.xml), ['abcd3.ics']);
  });

  it('§7.8.8 retrieval of events only', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>'),
    );
    assert.deepEqual(names(r.xml), ['abcd1.ics', 'abcd2.ics', 'abcd3.ics']);
  });

  it('§7.8.9 retrieval of all pending to-dos (is-not-defined, negate-condition)', async () => {
    const r = await report(
      s.fetch,
      WORK,
      query(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
      <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
      <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter>
      </C:comp-filter></C:comp-filter>`),
    );
    assert.deepEqual(names(r.xml), ['abcd4.ics', 'abcd5.ics']);
  });
});
