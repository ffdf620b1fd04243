/**
 * The most expensive calendaring requests we know of, with the objects they work on: expansion of
 * a SECONDLY series to its bound, a 100-year time-range query over long daily series, free-busy
 * over a SECONDLY series, a series with 999 THISANDFUTURE overrides, a five-year expand, and the
 * PUT of a long bounded series. The benchmark's get-under-expensive-reports phase times simple
 * GETs while these run (domain/cooperative.ts keeps them from holding the event loop); the e2e
 * test test/e2e/foundation/event-loop-under-expensive-reports.test.ts checks that the GETs keep
 * being answered.
 */
import { formatUtcDateTime } from '../../src/formats/ical/time.js';

/** A request of the workload: a path relative to the server, as both clients send it. */
export interface ExpensiveRequest {
  readonly method: 'PUT' | 'REPORT';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Where the workload lives: `main` holds the daily series, `huge` the SECONDLY one apart, so that reports on `main` are answered in full. */
export interface ExpensiveCalendars {
  readonly main: string;
  readonly huge: string;
}

const ics = (lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, start: string, extra: string[] = []): string[] => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20240101T000000Z',
  `DTSTART:${start}`,
  'DURATION:PT1H',
  ...extra,
  'END:VEVENT',
];
const CALENDAR = { 'Content-Type': 'text/calendar' };

/** A small event: the simple GET timed while the workload runs. */
export const SMALL_EVENT = { name: 'small.ics', uid: 'small', body: ics(vevent('small', '20240101T100000Z')) };

/** The objects the workload reads, as PUTs (the calendars exist already). */
export function expensiveObjects(c: ExpensiveCalendars): ExpensiveRequest[] {
  const put = (cal: string, name: string, body: string): ExpensiveRequest => ({
    method: 'PUT',
    path: `${cal}${name}`,
    headers: CALENDAR,
    body,
  });
  const day = 86_400_000;
  const base = Date.UTC(2024, 0, 1, 10);
  const utc = formatUtcDateTime;
  const overrides = Array.from({ length: 999 }, (_, i) =>
    vevent('futures', utc(base + (i + 1) * day + 3_600_000), [
      `RECURRENCE-ID;RANGE=THISANDFUTURE:${utc(base + (i + 1) * day)}`,
    ]),
  ).flat();
  return [
    put(c.huge, 'secondly.ics', ics(vevent('secondly', '20240101T100000Z', ['RRULE:FREQ=SECONDLY']))),
    ...Array.from({ length: 4 }, (_, i) =>
      put(c.main, `daily-${i}.ics`, ics(vevent(`daily-${i}`, `2000010${i + 1}T100000Z`, ['RRULE:FREQ=DAILY']))),
    ),
    put(c.main, 'futures.ics', ics([...vevent('futures', utc(base), ['RRULE:FREQ=DAILY']), ...overrides])),
  ];
}

const calendarQuery = (filter: string, prop = '<D:getetag/>'): string =>
  `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop>${prop}</D:prop><C:filter>${filter}</C:filter></C:calendar-query>`;
const eventsIn = (start: string, end: string): string =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter>`;

/** The expensive requests, each to be answered (any status but 500) in turn. */
export function expensiveRequests(c: ExpensiveCalendars): ExpensiveRequest[] {
  const report = (cal: string, body: string): ExpensiveRequest => ({
    method: 'REPORT',
    path: cal,
    headers: { 'Content-Type': 'application/xml', Depth: '1', 'Cache-Control': 'no-cache' },
    body,
  });
  return [
    // expand of a SECONDLY series over a day: walks to MAX_EXPANDED_INSTANCES, then 507
    report(
      c.huge,
      calendarQuery(
        eventsIn('20240101T000000Z', '20240102T000000Z'),
        '<C:calendar-data><C:expand start="20240101T000000Z" end="20240102T000000Z"/></C:calendar-data>',
      ),
    ),
    // a 100-year time-range query over it: MAX_INSTANCES_PER_EXPANSION, then 507
    report(c.huge, calendarQuery(eventsIn('21000101T000000Z', '21240101T000000Z'))),
    // a 100-year time-range query that misses everything but must walk every daily series
    report(c.main, calendarQuery(eventsIn('21000101T000000Z', '21240101T000000Z'))),
    // free-busy over a month of a SECONDLY series: MAX_INSTANCES_PER_EXPANSION, then 507
    report(
      c.huge,
      '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240101T000000Z" end="20240201T000000Z"/></C:free-busy-query>',
    ),
    // expand of the daily series and the overridden one over five years
    report(
      c.main,
      calendarQuery(
        eventsIn('20240101T000000Z', '20290101T000000Z'),
        '<C:calendar-data><C:expand start="20240101T000000Z" end="20290101T000000Z"/></C:calendar-data>',
      ),
    ),
    // the PUT of a long bounded series (its index walks every instance)
    {
      method: 'PUT',
      path: `${c.main}long-put.ics`,
      headers: CALENDAR,
      body: ics(vevent('long-put', '20240101T100000Z', ['RRULE:FREQ=DAILY;COUNT=10000'])),
    },
  ];
}

/**
 * Runs the requests in `lanes` loops at once, each lane cycling through its share, until `minMs`
 * has passed and each of its requests was answered at least once (or `maxMs` has passed); the
 * statuses seen per request. `send` answers a request's status (and reads its body).
 */
export async function runExpensiveLanes(
  requests: readonly ExpensiveRequest[],
  lanes: number,
  send: (r: ExpensiveRequest) => Promise<number>,
  minMs: number,
  maxMs: number,
): Promise<number[][]> {
  const statuses: number[][] = requests.map(() => []);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const mine = requests.map((_r, k) => k).filter((k) => k % lanes === lane);
      const more = (): boolean =>
        performance.now() - t0 < maxMs &&
        (performance.now() - t0 < minMs || mine.some((k) => statuses[k]!.length === 0));
      for (let i = 0; more(); i++) {
        const k = mine[i % mine.length]!;
        statuses[k]!.push(await send(requests[k]!));
      }
    }),
  );
  return statuses;
}
