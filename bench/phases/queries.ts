/**
 * The read phases: PROPFIND, calendar-query (month, expanded week), multigets, FN search. Each
 * request of a phase is distinct: its own window, batch, term or property set.
 */
import type { Res } from '../client.js';
import {
  expectedExpand,
  expectedFnContains,
  expectedQuery,
  monthWindows,
  weekWindows,
  type Window,
} from '../expected.js';
import { Rng, fnTerms, type DataSet } from '../generator.js';
import { icsUtc } from '../tz.js';
import { checkExpand, checkMembers, parseMultistatus } from '../verify.js';
import { XML_HEADERS, hrefOf, xmlEscape, type Ctx, type QueryPhase } from './common.js';

const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const NS_CARD = 'xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"';

/** Expected answers are computed once per data set. */
const memo = new WeakMap<DataSet, Map<string, unknown>>();
function once<T>(ds: DataSet, key: string, f: () => T): T {
  let m = memo.get(ds);
  if (!m) memo.set(ds, (m = new Map()));
  if (!m.has(key)) m.set(key, f());
  return m.get(key) as T;
}

function statusProblem(res: Res, want = 207): string[] {
  return res.status === want
    ? []
    : [`HTTP ${res.status} (expected ${want}): ${res.body.toString('utf8').slice(0, 200)}`];
}

function eventUid(ds: DataSet): (name: string) => string | undefined {
  const byName = once(ds, 'event-uids', () => new Map(ds.events.map((e) => [e.name, e.uid])));
  return (n) => byName.get(n);
}

function contactUid(ds: DataSet): (name: string) => string | undefined {
  const byName = once(ds, 'contact-uids', () => new Map(ds.contacts.map((c) => [c.name, c.uid])));
  return (n) => byName.get(n);
}

/**
 * Optional properties of the PROPFIND phase, the ones clients ask of a member listing (Apple,
 * Thunderbird, DAVx5): each request asks getetag and its own subset of these, written with its
 * own namespace prefix (as clients differ), so no two requests are the same text.
 */
const PROPFIND_EXTRA = ['getcontenttype', 'resourcetype', 'getlastmodified', 'getcontentlength'];
const PREFIXES = ['D:', 'd:', 'A:', ''];

function propfindBody(key: number): string {
  const prefix = PREFIXES[(key >> PROPFIND_EXTRA.length) % PREFIXES.length]!;
  const ns = prefix === '' ? 'xmlns="DAV:"' : `xmlns:${prefix.slice(0, -1)}="DAV:"`;
  const props = ['getetag', ...PROPFIND_EXTRA.filter((_, i) => (key >> i) & 1)].map((n) => `<${prefix}${n}/>`);
  return `<?xml version="1.0" encoding="utf-8"?><${prefix}propfind ${ns}><${prefix}prop>${props.join('')}</${prefix}prop></${prefix}propfind>`;
}

export const propfindPhase: QueryPhase = {
  name: 'propfind-depth1',
  floorable: true,
  keys: (_ctx, n) => Array.from({ length: Math.min(n, PREFIXES.length << PROPFIND_EXTRA.length) }, (_, k) => String(k)),
  count: (ctx) =>
    Math.max(
      10,
      Math.min(ctx.opts.requests, Math.ceil((ctx.opts.requests * 1000) / Math.max(1000, ctx.ds.events.length))),
    ),
  request: (ctx, key) => ({
    method: 'PROPFIND',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body: propfindBody(Number(key)),
  }),
  check(ctx, _key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    const expected = once(ctx.ds, 'all-events', () => new Set(ctx.ds.events.map((e) => e.name)));
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.calendar,
      expected,
      allowSelf: true,
    });
  },
};

/** A window key: its start in ms; its length is the phase's. */
export function windowOf(key: string, days: number): Window {
  const start = Number(key);
  return { label: key, start, end: start + days * 86_400_000 };
}

export function timeRange(w: Window): string {
  return `start="${icsUtc(w.start)}" end="${icsUtc(w.end)}"`;
}

export const monthPhase: QueryPhase = {
  name: 'calendar-query-month',
  floorable: true,
  keys: (ctx, n) => monthWindows(ctx.ds, n).map((w) => String(w.start)),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
      `<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${timeRange(windowOf(key, 30))}/>` +
      `</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    const expected = once(ctx.ds, `month:${key}`, () => expectedQuery(ctx.ds, windowOf(key, 30)));
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.calendar,
      expected,
      uids: eventUid(ctx.ds),
      dataProp: 'calendar-data',
    });
  },
};

export const expandPhase: QueryPhase = {
  name: 'calendar-query-expand-week',
  floorable: true,
  keys: (ctx, n) => weekWindows(ctx.ds, n).map((w) => String(w.start)),
  request: (ctx, key) => {
    const range = timeRange(windowOf(key, 7));
    return {
      method: 'REPORT',
      path: ctx.server.calendar,
      headers: { ...XML_HEADERS, Depth: '1' },
      body:
        `<?xml version="1.0" encoding="utf-8"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data><C:expand ${range}/></C:calendar-data></D:prop>` +
        `<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${range}/>` +
        `</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    };
  },
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    const expected = once(ctx.ds, `week:${key}`, () => expectedExpand(ctx.ds, windowOf(key, 7)));
    return checkExpand(parseMultistatus(res.body.toString('utf8')), ctx.server.calendar, expected);
  },
};

/** Batch k of 100 distinct members (drawn from a seeded sequence: batch k is the same at every call). */
function batch(ds: DataSet, what: 'events' | 'contacts', k: number): string[] {
  const state = once(ds, `batches:${what}`, () => ({
    rng: new Rng(ds.seed ^ (what === 'events' ? 0x5eed : 0xca7d)),
    names: what === 'events' ? ds.events.map((e) => e.name) : ds.contacts.map((c) => c.name),
    list: [] as string[][],
  }));
  while (state.list.length <= k) {
    const pick = new Set<string>();
    const want = Math.min(100, state.names.length);
    while (pick.size < want) pick.add(state.names[Math.floor(state.rng.next() * state.names.length)]!);
    state.list.push([...pick]);
  }
  return state.list[k]!;
}

const batchKeys = (_ctx: Ctx, n: number): string[] => Array.from({ length: n }, (_, k) => String(k));

/** The DAV:href elements of a multiget naming these members of a collection. */
function hrefsXml(collection: string, names: readonly string[]): string {
  return names.map((n) => `<D:href>${xmlEscape(hrefOf(collection, n))}</D:href>`).join('');
}

export const multigetPhase: QueryPhase = {
  name: 'calendar-multiget-100',
  floorable: true,
  keys: batchKeys,
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
      hrefsXml(ctx.server.calendar, batch(ctx.ds, 'events', Number(key))) +
      `</C:calendar-multiget>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.calendar,
      expected: new Set(batch(ctx.ds, 'events', Number(key))),
      uids: eventUid(ctx.ds),
      dataProp: 'calendar-data',
    });
  },
};

export function fnQueryBody(term: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><CR:addressbook-query ${NS_CARD}><D:prop><D:getetag/><CR:address-data/></D:prop>` +
    `<CR:filter><CR:prop-filter name="FN"><CR:text-match match-type="contains">${xmlEscape(term)}</CR:text-match></CR:prop-filter></CR:filter>` +
    `</CR:addressbook-query>`
  );
}

export function checkFnQuery(ctx: Ctx, term: string, res: Res): string[] {
  const p = statusProblem(res);
  if (p.length) return p;
  const expected = once(ctx.ds, `fn:${term}`, () => expectedFnContains(ctx.ds.contacts, term));
  return checkMembers(parseMultistatus(res.body.toString('utf8')), {
    collection: ctx.server.addressbook,
    expected,
    uids: contactUid(ctx.ds),
    dataProp: 'address-data',
  });
}

export const fnQueryPhase: QueryPhase = {
  name: 'addressbook-query-fn',
  floorable: true,
  keys: (_ctx, n) => fnTerms(n),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.addressbook,
    headers: { ...XML_HEADERS, Depth: '1' },
    body: fnQueryBody(key),
  }),
  check: checkFnQuery,
};

export const abMultigetPhase: QueryPhase = {
  name: 'addressbook-multiget-100',
  floorable: true,
  keys: batchKeys,
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.addressbook,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><CR:addressbook-multiget ${NS_CARD}><D:prop><D:getetag/><CR:address-data/></D:prop>` +
      hrefsXml(ctx.server.addressbook, batch(ctx.ds, 'contacts', Number(key))) +
      `</CR:addressbook-multiget>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.addressbook,
      expected: new Set(batch(ctx.ds, 'contacts', Number(key))),
      uids: contactUid(ctx.ds),
      dataProp: 'address-data',
    });
  },
};
