/**
 * Shared by the CalDAV tests: a test server with the query debug switch on (every calendar-query
 * is answered through the index and by a full scan, and the two must agree), and small helpers
 * for the requests and answers of RFC 4791.
 */
import { parseXml } from '../../../src/xml/parse.js';
import { elements, firstChild, textOf, type XmlElement } from '../../../src/xml/element.js';
import { caldav, dav } from '../../../src/xml/names.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { APPENDIX_B } from './appendix-b.js';

process.env.ALMANAC_DEBUG_QUERY = '1';

export type Fetch = ReturnType<typeof davFetch>;

export interface CalServer {
  readonly server: TestServer;
  readonly fetch: Fetch;
  close(): Promise<void>;
}

export async function startCalServer(): Promise<CalServer> {
  const server = await startTestServer();
  return { server, fetch: davFetch(server.url), close: () => server.close() };
}

export const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

export async function report(
  fetch: Fetch,
  path: string,
  body: string,
  depth: string | null = '1',
): Promise<{ status: number; text: string; xml: XmlElement | null }> {
  const res = await fetch(path, {
    method: 'REPORT',
    headers: { ...XML, ...(depth === null ? {} : { Depth: depth }) },
    body,
  });
  const text = await res.text();
  let xml: XmlElement | null;
  try {
    xml = /xml/.test(res.headers.get('content-type') ?? '') ? parseXml(text) : null;
  } catch {
    xml = null;
  }
  return { status: res.status, text, xml };
}

export async function put(
  fetch: Fetch,
  path: string,
  ics: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(path, { method: 'PUT', headers: { ...ICS, ...headers }, body: ics });
}

/** MKCALENDAR taking every component type, so VTODO, VJOURNAL and VFREEBUSY objects fit. */
export async function mkcalendar(
  fetch: Fetch,
  path: string,
  components = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY'],
  extra = '',
): Promise<Response> {
  const comps = components.map((c) => `<C:comp name="${c}"/>`).join('');
  return fetch(path, {
    method: 'MKCALENDAR',
    headers: XML,
    body:
      `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>` +
      `<C:supported-calendar-component-set>${comps}</C:supported-calendar-component-set>${extra}</D:prop></D:set></C:mkcalendar>`,
  });
}

/** The Appendix B collection as /dav/calendars/alice/work/. */
export async function loadAppendixB(fetch: Fetch, base = '/dav/calendars/alice/work/'): Promise<void> {
  const made = await mkcalendar(fetch, base);
  if (made.status !== 201) throw new Error(`MKCALENDAR ${made.status}: ${await made.text()}`);
  for (const [name, ics] of Object.entries(APPENDIX_B)) {
    const res = await put(fetch, base + name, ics);
    if (res.status !== 201) throw new Error(`PUT ${name}: ${res.status} ${await res.text()}`);
  }
}

/** The hrefs a multistatus answered (with a 200 propstat or a status), by last segment. */
export function names(ms: XmlElement | null): string[] {
  if (!ms) return [];
  return elements(ms, dav('response'))
    .map(
      (r) =>
        textOf(firstChild(r, dav('href')) as XmlElement)
          .split('/')
          .filter(Boolean)
          .pop() ?? '',
    )
    .sort();
}

/** The calendar-data of each response, by last href segment. */
export function calendarData(ms: XmlElement | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!ms) return out;
  for (const r of elements(ms, dav('response'))) {
    const name =
      textOf(firstChild(r, dav('href')) as XmlElement)
        .split('/')
        .filter(Boolean)
        .pop() ?? '';
    for (const ps of elements(r, dav('propstat'))) {
      const prop = firstChild(ps, dav('prop'));
      const cd = prop && firstChild(prop, caldav('calendar-data'));
      if (cd) out.set(name, textOf(cd));
    }
  }
  return out;
}

/** A property value of the first response: its element, or undefined when not 200. */
export function propOf(ms: XmlElement | null, name: string): XmlElement | undefined {
  if (!ms) return undefined;
  for (const r of elements(ms, dav('response'))) {
    for (const ps of elements(r, dav('propstat'))) {
      if (!/ 200 /.test(textOf(firstChild(ps, dav('status')) as XmlElement))) continue;
      const p = firstChild(firstChild(ps, dav('prop')) as XmlElement, name);
      if (p) return p;
    }
  }
  return undefined;
}

export function query(filter: string, prop = '<D:getetag/>', extra = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
    `<D:prop>${prop}</D:prop><C:filter>${filter}</C:filter>${extra}</C:calendar-query>`
  );
}

/** A calendar-query of the VEVENTs in `range` (time-range attributes), each expanded to it (RFC 4791 §9.6.5). */
export function expandQuery(range: string): string {
  return query(
    `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${range}/></C:comp-filter></C:comp-filter>`,
    `<D:getetag/><C:calendar-data><C:expand ${range}/></C:calendar-data>`,
  );
}

/** iCalendar content lines with folding undone, for assertions. */
export function unfold(ics: string): string[] {
  return ics
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((l) => l !== '');
}

/** A minimal VEVENT object. */
export function event(uid: string, start: string, end: string, extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    'SUMMARY:Test event',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
