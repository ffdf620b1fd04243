/**
 * Checking answers. A fast, prefix-agnostic reader of DAV multistatus bodies (any namespace
 * prefix, as Almanac and Radicale choose different ones) and the checks each phase applies.
 * A check returns a list of problems; an empty list means the answer is right.
 */
import { parseIcsInstant } from './tz.js';

export interface MsEntry {
  /** Decoded path of the href (host stripped). */
  readonly href: string;
  /** Status of the response or of its first propstat with 2xx ("200", "404", …). */
  readonly status: string;
  /** Texts of the properties found in a 2xx propstat, by local name. */
  readonly props: Map<string, string>;
}

const P = '(?:[A-Za-z_][\\w.-]*:)?';
const RESPONSE = new RegExp(`<${P}response(?=[\\s>])[^>]*>([\\s\\S]*?)</${P}response>`, 'g');
const HREF = new RegExp(`<${P}href(?=[\\s>])[^>]*>([^<]*)</${P}href>`);
const PROPSTAT = new RegExp(`<${P}propstat(?=[\\s>])[^>]*>([\\s\\S]*?)</${P}propstat>`, 'g');
const STATUS = new RegExp(`<${P}status(?=[\\s>])[^>]*>\\s*HTTP/\\d\\.\\d\\s+(\\d{3})`);
const PROP_BODY = new RegExp(`<${P}prop(?=[\\s>])[^>]*>([\\s\\S]*)</${P}prop>`);
const CHILD = new RegExp(`<(${P})([A-Za-z][\\w.-]*)(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</\\1\\2>)`, 'g');

function decodeXmlText(s: string): string {
  if (s.includes('<![CDATA['))
    s = s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

function hrefPath(href: string): string {
  const raw = decodeXmlText(href.trim()).replace(/^https?:\/\/[^/]+/, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function parseMultistatus(body: string): MsEntry[] {
  const out: MsEntry[] = [];
  for (const m of body.matchAll(RESPONSE)) {
    const inner = m[1]!;
    const href = HREF.exec(inner)?.[1];
    if (href === undefined) continue;
    const props = new Map<string, string>();
    let status: string | undefined;
    for (const ps of inner.matchAll(PROPSTAT)) {
      const st = STATUS.exec(ps[1]!)?.[1] ?? '';
      if (!st.startsWith('2')) continue;
      status ??= st;
      const propBody = PROP_BODY.exec(ps[1]!)?.[1] ?? '';
      for (const c of propBody.matchAll(CHILD)) props.set(c[2]!, c[3] === undefined ? '' : decodeXmlText(c[3]));
    }
    if (status === undefined) {
      const withoutPropstats = inner.replace(PROPSTAT, '');
      status = STATUS.exec(withoutPropstats)?.[1] ?? STATUS.exec(inner)?.[1] ?? '';
    }
    out.push({ href: hrefPath(href), status, props });
  }
  return out;
}

/** Last path segment of a member href ('' for the collection itself). */
function memberName(path: string, collection: string): string | null {
  const base = collection.endsWith('/') ? collection : `${collection}/`;
  if (path === base || `${path}/` === base) return '';
  if (!path.startsWith(base)) return null;
  return path.slice(base.length);
}

export interface SetCheck {
  readonly collection: string;
  readonly expected: ReadonlySet<string>;
  /** Member name → UID that its data property must contain; none = do not look at the data. */
  readonly uids?: (name: string) => string | undefined;
  /** 'calendar-data' or 'address-data' */
  readonly dataProp?: string;
  /** Accept (and ignore) the collection's own response. */
  readonly allowSelf?: boolean;
}

/** The answer holds exactly the expected members, each 2xx, each data carrying its UID. */
export function checkMembers(entries: readonly MsEntry[], c: SetCheck): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const name = memberName(e.href, c.collection);
    if (name === '' && c.allowSelf) continue;
    if (name === null || name === '') {
      problems.push(`unexpected href ${e.href}`);
      continue;
    }
    if (seen.has(name)) problems.push(`duplicate ${name}`);
    seen.add(name);
    if (!c.expected.has(name)) {
      problems.push(`${name} should not be in the answer`);
      continue;
    }
    if (!e.status.startsWith('2')) problems.push(`${name}: status ${e.status}`);
    if (c.dataProp && c.uids) {
      const data = e.props.get(c.dataProp);
      const uid = c.uids(name);
      if (data === undefined || data.length === 0) problems.push(`${name}: no ${c.dataProp}`);
      else if (uid && !data.includes(`UID:${uid}`)) problems.push(`${name}: ${c.dataProp} lacks UID ${uid}`);
    }
  }
  for (const name of c.expected) if (!seen.has(name)) problems.push(`${name} missing`);
  return problems;
}

function unfold(text: string): string {
  return text.replace(/\r?\n[ \t]/g, '');
}

/** Sorted UTC starts of the VEVENTs in an expanded calendar-data, plus structural problems. */
function expandedStarts(ics: string): { starts: number[]; problems: string[] } {
  const lines = unfold(ics).split(/\r?\n/);
  const starts: number[] = [];
  const problems: string[] = [];
  let inEvent = false;
  let depth = 0;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') {
      inEvent = true;
      depth = 0;
      continue;
    }
    if (!inEvent) continue;
    if (line.startsWith('BEGIN:')) depth++;
    else if (line === 'END:VEVENT') inEvent = false;
    else if (line.startsWith('END:')) depth--;
    else if (depth === 0) {
      const m = /^([A-Z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
      if (!m) continue;
      if (m[1] === 'RRULE' || m[1] === 'RDATE' || m[1] === 'EXDATE') problems.push(`${m[1]} left in expanded data`);
      if (m[1] === 'DTSTART') {
        const tzid = /;TZID=("?)([^;:"]+)\1/.exec(m[2]!)?.[2] ?? null;
        if (tzid !== null) problems.push('DTSTART with TZID in expanded data (must be UTC)');
        starts.push(parseIcsInstant(m[3]!, tzid));
      }
    }
  }
  return { starts: starts.sort((a, b) => a - b), problems };
}

export function checkExpand(
  entries: readonly MsEntry[],
  collection: string,
  expected: ReadonlyMap<string, number[]>,
): string[] {
  const problems = checkMembers(entries, { collection, expected: new Set(expected.keys()) });
  for (const e of entries) {
    const name = memberName(e.href, collection);
    const want = name ? expected.get(name) : undefined;
    if (!name || !want) continue;
    const data = e.props.get('calendar-data');
    if (!data) {
      problems.push(`${name}: no calendar-data`);
      continue;
    }
    const got = expandedStarts(data);
    problems.push(...got.problems.map((p) => `${name}: ${p}`));
    const a = got.starts.join(',');
    const b = want.join(',');
    if (a !== b) {
      const fmt = (xs: number[]): string => xs.map((x) => new Date(x).toISOString()).join(' ');
      problems.push(`${name}: instances [${fmt(got.starts)}] expected [${fmt(want)}]`);
    }
  }
  return problems;
}

/** sync-collection: exactly these members changed (2xx) and these were removed (404). */
export function checkSync(
  entries: readonly MsEntry[],
  collection: string,
  changed: ReadonlySet<string>,
  removed: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const name = memberName(e.href, collection);
    if (!name) {
      problems.push(`unexpected href ${e.href}`);
      continue;
    }
    seen.add(name);
    if (changed.has(name)) {
      if (!e.status.startsWith('2')) problems.push(`${name}: changed but status ${e.status}`);
    } else if (removed.has(name)) {
      if (e.status !== '404') problems.push(`${name}: removed but status ${e.status}`);
    } else problems.push(`${name} reported but not changed`);
  }
  for (const n of [...changed, ...removed]) if (!seen.has(n)) problems.push(`${n} missing from the sync answer`);
  return problems;
}
