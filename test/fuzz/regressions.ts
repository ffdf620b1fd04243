/**
 * Inputs that once hung, crashed or took over the server, kept as fixtures (hardening findings
 * 8–11 and what the fuzzer found since). Each is a short script of requests; every request must
 * answer without a 5xx within the per-request bound, and those marked `reject` must be refused
 * with a 4xx (RFC 5545 forbids them, or a stated limit refuses them).
 */
import { encodeMbUint32 } from '../../src/formats/wbxml/codec.js';
import { PATHS } from './cases.js';
import type { FuzzRequest } from './cases.js';
import { formatUtcDateTime } from '../../src/formats/ical/time.js';

interface RegressionStep {
  readonly request: FuzzRequest;
  /** 'reject': a 4xx is required. 'any': anything below 500 (accepted or refused by a limit). */
  readonly expect: 'reject' | 'any';
}

export interface Regression {
  readonly name: string;
  readonly steps: readonly RegressionStep[];
  /** Send without credentials (the attack needs none). */
  readonly anonymous?: boolean;
}

const enc = new TextEncoder();
const CAL = PATHS.cal;

function ics(body: readonly string[], prefix: readonly string[] = []): Uint8Array {
  return enc.encode(
    `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//fuzz//EN', ...prefix, ...body, 'END:VCALENDAR'].join('\r\n')}\r\n`,
  );
}

function event(uid: string, extra: readonly string[], start = '20260105T090000Z'): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    'SUMMARY:r',
    ...extra,
    'END:VEVENT',
  ];
}

const put = (name: string, body: Uint8Array, expect: RegressionStep['expect']): RegressionStep => ({
  request: { method: 'PUT', path: `${CAL}${name}.ics`, headers: { 'Content-Type': 'text/calendar' }, body },
  expect,
});

const report = (xml: string): RegressionStep => ({
  request: {
    method: 'REPORT',
    path: CAL,
    headers: { 'Content-Type': 'application/xml', Depth: '1' },
    body: enc.encode(xml),
  },
  expect: 'any',
});

const expandQuery = (start: string, end: string): string =>
  `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data><C:expand start="${start}" end="${end}"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

const freeBusy = (start: string, end: string): string =>
  `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`;

function zoneWithRule(rule: string): string[] {
  return [
    'BEGIN:VTIMEZONE',
    'TZID:Fuzz/Zone',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0100',
    rule,
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
}

const mb = (n: number): number[] => [...encodeMbUint32(n)];

/** WBXML 1.3, SyncML 1.2 public id, UTF-8, then a string table and a root element's content. */
function wbxml(table: Uint8Array, content: readonly number[]): Uint8Array {
  const SYNCML_WITH_CONTENT = 0x2d | 0x40;
  return Uint8Array.from([
    0x03,
    ...mb(0x1201),
    0x6a,
    ...mb(table.length),
    ...table,
    SYNCML_WITH_CONTENT,
    ...content,
    0x01,
  ]);
}

const syncml = (body: Uint8Array, type = 'application/vnd.syncml+wbxml'): RegressionStep => ({
  request: { method: 'POST', path: '/syncml', headers: { 'Content-Type': type }, body },
  expect: 'reject',
});

function wbxmlBomb(): Uint8Array {
  const table = new Uint8Array(64 * 1024 + 1).fill(0x41);
  table[table.length - 1] = 0;
  const refs: number[] = [];
  for (let i = 0; i < 95_000; i++) refs.push(0x83, 0x00);
  return wbxml(table, refs);
}

function namespaceFlood(): Uint8Array {
  let decl = '';
  for (let i = 0; i < 10_000; i++) decl += ` xmlns:n${i}="urn:n${i}"`;
  return enc.encode(
    `<SyncML xmlns="SYNCML:SYNCML1.2"${decl}><SyncHdr><VerDTD>1.2</VerDTD></SyncHdr>${'<SyncBody/>'.repeat(2000)}</SyncML>`,
  );
}

function thisAndFuture(n: number): Uint8Array {
  const comps = event('taf', ['RRULE:FREQ=DAILY']);
  for (let i = 1; i <= n; i++) {
    const d = formatUtcDateTime(Date.UTC(2026, 0, 5 + i, 9));
    comps.push(
      'BEGIN:VEVENT',
      'UID:taf',
      'DTSTAMP:20260101T000000Z',
      `RECURRENCE-ID;RANGE=THISANDFUTURE:${d}`,
      `DTSTART:${d}`,
      'DURATION:PT2H',
      `SUMMARY:o${i}`,
      'END:VEVENT',
    );
  }
  return ics(comps);
}

function exdates(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`EXDATE:${formatUtcDateTime(Date.UTC(2026, 0, 5 + i, 9))}`);
  return out;
}

export const REGRESSIONS: readonly Regression[] = [
  {
    name: 'RRULE that can never produce an instance (BYMONTH=2;BYMONTHDAY=30) is refused at PUT',
    steps: [put('never', ics(event('never', ['RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'])), 'reject')],
  },
  {
    name: 'RRULE:FREQ=WEEKLY;BYMONTHDAY=3 is refused (RFC 5545 §3.3.10)',
    steps: [put('weekly-bymonthday', ics(event('wbm', ['RRULE:FREQ=WEEKLY;BYMONTHDAY=3'])), 'reject')],
  },
  {
    name: 'INTERVAL=0 is refused (RFC 5545 §3.3.10)',
    steps: [put('interval0', ics(event('i0', ['RRULE:FREQ=DAILY;INTERVAL=0'])), 'reject')],
  },
  {
    name: 'COUNT=-1 is refused (RFC 5545 §3.3.10)',
    steps: [put('count-1', ics(event('c1', ['RRULE:FREQ=DAILY;COUNT=-1'])), 'reject')],
  },
  {
    name: 'VTIMEZONE rule without FREQ is refused',
    steps: [
      put(
        'zone-nofreq',
        ics(
          event('znf', [], undefined).map((l) =>
            l.startsWith('DTSTART') ? 'DTSTART;TZID=Fuzz/Zone:20260105T090000' : l,
          ),
          zoneWithRule('RRULE:BYMONTH=3'),
        ),
        'reject',
      ),
    ],
  },
  {
    name: 'VTIMEZONE with a SECONDLY rule neither hangs PUT nor a query',
    steps: [
      put(
        'zone-secondly',
        ics(
          event('zs', ['RRULE:FREQ=DAILY;COUNT=3']).map((l) =>
            l.startsWith('DTSTART') ? 'DTSTART;TZID=Fuzz/Zone:20260105T090000' : l,
          ),
          zoneWithRule('RRULE:FREQ=SECONDLY'),
        ),
        'any',
      ),
      report(expandQuery('20260101T000000Z', '20260201T000000Z')),
    ],
  },
  {
    name: '10,000 nested components are refused, not a stack overflow',
    steps: [
      put(
        'nested',
        ics([...Array<string>(10_000).fill('BEGIN:VEVENT'), ...Array<string>(10_000).fill('END:VEVENT')]),
        'reject',
      ),
    ],
  },
  {
    name: '8,064 EXDATEs are stored or refused by a limit, fast',
    steps: [
      put('exdates', ics(event('ex', ['RRULE:FREQ=DAILY', ...exdates(8064)])), 'any'),
      report(expandQuery('20260101T000000Z', '20270101T000000Z')),
    ],
  },
  {
    name: 'a SECONDLY series: expand and free-busy are bounded',
    steps: [
      put('secondly', ics(event('sec', ['RRULE:FREQ=SECONDLY'])), 'any'),
      report(expandQuery('20260105T000000Z', '20260112T000000Z')),
      report(freeBusy('20260101T000000Z', '20270101T000000Z')),
    ],
  },
  {
    name: 'a 100-year time-range query over never-ending series is bounded',
    steps: [
      put('daily', ics(event('daily', ['RRULE:FREQ=DAILY'])), 'any'),
      put('hourly', ics(event('hourly', ['RRULE:FREQ=HOURLY'])), 'any'),
      report(expandQuery('19700101T000000Z', '20700101T000000Z')),
      report(freeBusy('19700101T000000Z', '20700101T000000Z')),
    ],
  },
  // Found by `npm run fuzz -- --seed 777` (case 7767): ical.js put 4294967296 hours on the wall clock and
  // normalised them a step at a time, ~0.4 s per instance; a year's free-busy took 45 s.
  {
    name: 'a daily series lasting PT4294967296H each: a year of free-busy is fast',
    steps: [
      put(
        'huge-duration',
        ics([
          'BEGIN:VEVENT',
          'UID:huge-duration',
          'DTSTAMP:20260101T000000Z',
          'DTSTART:20260601T080000',
          'DURATION:PT4294967296H',
          'RRULE:FREQ=DAILY;INTERVAL=2',
          'END:VEVENT',
        ]),
        'any',
      ),
      report(freeBusy('20260101T000000Z', '20270101T000000Z')),
      report(expandQuery('20260101T000000Z', '20270101T000000Z')),
    ],
  },
  {
    name: '3,000 THISANDFUTURE overrides are bounded',
    steps: [put('taf', thisAndFuture(3000), 'any'), report(expandQuery('20260101T000000Z', '20360101T000000Z'))],
  },
  {
    name: 'a vCard with 40,000 parameters is refused (a stated limit), fast',
    steps: [
      {
        request: {
          method: 'PUT',
          path: `${PATHS.book}params.vcf`,
          headers: { 'Content-Type': 'text/vcard' },
          body: enc.encode(
            `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:params\r\nFN:P\r\nN:P;;;;\r\nEMAIL${';TYPE=x'.repeat(40_000)}:p@example.org\r\nEND:VCARD\r\n`,
          ),
        },
        expect: 'reject',
      },
      {
        request: { method: 'GET', path: `${PATHS.book}params.vcf`, headers: { Accept: 'text/vcard; version=4.0' } },
        expect: 'any',
      },
    ],
  },
  {
    name: 'an unauthenticated WBXML string-table bomb is refused without expanding it',
    anonymous: true,
    steps: [syncml(wbxmlBomb())],
  },
  {
    name: 'WBXML ENTITY 0x7fffffff is a decode error',
    anonymous: true,
    steps: [syncml(wbxml(new Uint8Array(), [0x02, ...mb(0x7fffffff)]))],
  },
  {
    name: 'SyncML XML with 10,000 namespace declarations is refused or parsed in linear time',
    anonymous: true,
    steps: [{ ...syncml(namespaceFlood(), 'application/vnd.syncml+xml'), expect: 'any' }],
  },
  {
    name: 'SyncML XML with 4 MB of empty elements hits the element limit',
    anonymous: true,
    steps: [
      syncml(
        enc.encode(`<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr>${'<a/>'.repeat(1_000_000)}</SyncHdr></SyncML>`),
        'application/vnd.syncml+xml',
      ),
    ],
  },
  {
    name: 'a malformed percent-encoded path is a 400',
    steps: [{ request: { method: 'GET', path: '/dav/files/alice/%E0%A4%A', headers: {} }, expect: 'reject' }],
  },
  {
    name: 'a malformed percent-encoded cookie is not a 5xx',
    anonymous: true,
    steps: [
      {
        request: { method: 'GET', path: '/app/session', headers: { Cookie: 'almanac_session=%E0%A4%A' } },
        expect: 'any',
      },
    ],
  },
  {
    name: 'web login with Origin: null is refused with a 4xx',
    anonymous: true,
    steps: [
      {
        request: {
          method: 'POST',
          path: '/app/login',
          headers: { Origin: 'null', 'Content-Type': 'application/json' },
          body: enc.encode('{"user":"alice","password":"alice-pw"}'),
        },
        expect: 'reject',
      },
    ],
  },
];
