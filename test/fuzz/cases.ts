/**
 * What the fuzzer sends: one case is a request (and, for stored objects, the reads that make the
 * server expand and convert what it accepted). Cases are built from the corpus by the mutators,
 * deterministically from the PRNG.
 */
import { parseSyncmlXml } from '../../src/formats/syncml/xml.js';
import { encodeTree } from '../../src/formats/syncml/codec.js';
import { DAV_XML, ICALENDAR, ICALENDAR_LINES, SYNCML_XML, VCARD, VCARD_LINES, XML_FRAGMENTS } from './corpus.js';
import { mutateBytes, mutateLines, mutateWbxml, mutateXml, type Rng } from './mutate.js';
import { formatUtcDateTime } from '../../src/formats/ical/time.js';

export type CaseKind = 'icalendar' | 'vcard' | 'dav-xml' | 'syncml-xml' | 'wbxml';
const CASE_KINDS: readonly CaseKind[] = ['icalendar', 'vcard', 'dav-xml', 'syncml-xml', 'wbxml'];

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
}

export interface FuzzCase {
  readonly kind: CaseKind;
  /** The request carrying the mutated input. */
  readonly request: FuzzRequest;
  /** Reads sent only when the server accepted the input (2xx): expansion, conversion, queries. */
  readonly followUps: readonly FuzzRequest[];
}

export const USER = 'alice';
export const PATHS = {
  cal: `/dav/calendars/${USER}/default/`,
  book: `/dav/addressbooks/${USER}/default/`,
  files: `/dav/files/${USER}/`,
  principal: `/dav/principals/users/${USER}/`,
};

const enc = new TextEncoder();
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const D = 'xmlns:D="DAV:"';

function fill(path: string): string {
  return path
    .replace('{CAL}', PATHS.cal)
    .replace('{BOOK}', PATHS.book)
    .replace('{FILES}', PATHS.files)
    .replace('{PRINCIPAL}', PATHS.principal);
}

/** A random UTC window: mostly weeks to a year around now, sometimes centuries. */
function window(rng: Rng): { start: string; end: string } {
  const startYear = rng.pick([1900, 1970, 2025, 2026, 2026, 2026, 2027]);
  const days = rng.pick([1, 7, 31, 366, 3660, 36600]);
  const start = Date.UTC(startYear, rng.int(12), 1 + rng.int(28));
  return { start: formatUtcDateTime(start), end: formatUtcDateTime(start + days * 86_400_000) };
}

function reads(rng: Rng, href: string): FuzzRequest[] {
  const w = window(rng);
  const xml = { 'Content-Type': 'application/xml; charset=utf-8', Depth: '1' };
  return [
    { method: 'GET', path: href, headers: {} },
    {
      method: 'REPORT',
      path: PATHS.cal,
      headers: xml,
      body: enc.encode(
        `<C:calendar-query ${D} ${C}><D:prop><D:getetag/><C:calendar-data><C:expand start="${w.start}" end="${w.end}"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="${rng.pick(['VEVENT', 'VTODO', 'VJOURNAL'])}"><C:time-range start="${w.start}" end="${w.end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
      ),
    },
    {
      method: 'REPORT',
      path: PATHS.cal,
      headers: xml,
      body: enc.encode(`<C:free-busy-query ${C}><C:time-range start="${w.start}" end="${w.end}"/></C:free-busy-query>`),
    },
  ];
}

function cardReads(href: string): FuzzRequest[] {
  return [
    { method: 'GET', path: href, headers: { Accept: 'text/vcard; version=4.0' } },
    { method: 'GET', path: href, headers: { Accept: 'application/vcard+json' } },
    {
      method: 'REPORT',
      path: PATHS.book,
      headers: { 'Content-Type': 'application/xml', Depth: '1' },
      body: enc.encode(
        `<CR:addressbook-query ${D} xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><CR:address-data content-type="text/vcard" version="3.0"/></D:prop><CR:filter><CR:prop-filter name="FN"><CR:text-match match-type="contains">a</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>`,
      ),
    },
  ];
}

let wbxmlSeeds: Uint8Array[] | undefined;
/** The SyncML XML seeds, encoded as WBXML by our own encoder (what a WBXML phone sends). */
function wbxmlCorpus(): Uint8Array[] {
  wbxmlSeeds ??= SYNCML_XML.map((x) => encodeTree(parseSyncmlXml(x), '1.2', 'wbxml'));
  return wbxmlSeeds;
}

export function makeCase(rng: Rng, index: number, kind: CaseKind = rng.pick(CASE_KINDS)): FuzzCase {
  const slot = index % 16;
  switch (kind) {
    case 'icalendar': {
      const href = `${PATHS.cal}fuzz-${slot}.ics`;
      const body = mutateLines(rng, rng.pick(ICALENDAR), ICALENDAR_LINES, ICALENDAR);
      return {
        kind,
        request: {
          method: 'PUT',
          path: href,
          headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
          body: enc.encode(body),
        },
        followUps: reads(rng, href),
      };
    }
    case 'vcard': {
      const href = `${PATHS.book}fuzz-${slot}.vcf`;
      const body = mutateLines(rng, rng.pick(VCARD), VCARD_LINES, VCARD);
      return {
        kind,
        request: {
          method: 'PUT',
          path: href,
          headers: { 'Content-Type': 'text/vcard; charset=utf-8' },
          body: enc.encode(body),
        },
        followUps: cardReads(href),
      };
    }
    case 'dav-xml': {
      const sample = rng.pick(DAV_XML);
      const body =
        rng.next() < 0.8
          ? mutateXml(rng, fill(sample.body), XML_FRAGMENTS.map(fill))
          : mutateBytes(rng, fill(sample.body));
      const headers: Record<string, string> = { 'Content-Type': 'application/xml; charset=utf-8' };
      if (sample.depth !== undefined) headers['Depth'] = sample.depth;
      return {
        kind,
        request: { method: sample.method, path: fill(sample.path), headers, body: enc.encode(body) },
        followUps: [],
      };
    }
    case 'syncml-xml': {
      const body = mutateXml(rng, rng.pick(SYNCML_XML), [
        '<Final/>',
        '<NoResp/>',
        '<CmdID>99999999999</CmdID>',
        '<MsgID>-1</MsgID>',
        '<MaxMsgSize xmlns="syncml:metinf">0</MaxMsgSize>',
        '<Data>BEGIN:VCALENDAR</Data>',
        '<Alert><CmdID>3</CmdID><Data>201</Data></Alert>',
      ]);
      return {
        kind,
        request: {
          method: 'POST',
          path: '/syncml',
          headers: { 'Content-Type': 'application/vnd.syncml+xml' },
          body: enc.encode(body),
        },
        followUps: [],
      };
    }
    case 'wbxml': {
      const body = mutateWbxml(rng, rng.pick(wbxmlCorpus()));
      return {
        kind,
        request: { method: 'POST', path: '/syncml', headers: { 'Content-Type': 'application/vnd.syncml+wbxml' }, body },
        followUps: [],
      };
    }
  }
}
