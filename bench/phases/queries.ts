/** The read phases: PROPFIND, calendar-query (month, expanded week), multigets, FN search. */
import type { Res } from '../client.js';
import {
  FN_TERMS,
  expectedExpand,
  expectedFnContains,
  expectedQuery,
  monthWindows,
  weekWindows,
  type Window,
} from '../expected.js';
import { Rng, type DataSet } from '../generator.js';
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

export const propfindPhase: QueryPhase = {
  name: 'propfind-depth1',
  floorable: true,
  keys: () => ['calendar'],
  count: (ctx) =>
    Math.max(
      10,
      Math.min(ctx.opts.requests, Math.ceil((ctx.opts.requests * 1000) / Math.max(1000, ctx.ds.events.length))),
    ),
  request: (ctx) => ({
    method: 'PROPFIND',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body: `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:getcontenttype/><D:resourcetype/></D:prop></D:propfind>`,
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

function windowByKey(ctx: Ctx, key: string, kind: 'month' | 'week'): Window {
  const ws = kind === 'month' ? monthWindows(ctx.ds) : weekWindows(ctx.ds);
  return ws.find((w) => w.label === key)!;
}

function timeRange(w: Window): string {
  return `start="${icsUtc(w.start)}" end="${icsUtc(w.end)}"`;
}

export const monthPhase: QueryPhase = {
  name: 'calendar-query-month',
  floorable: true,
  keys: (ctx) => monthWindows(ctx.ds).map((w) => w.label),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
      `<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${timeRange(windowByKey(ctx, key, 'month'))}/>` +
      `</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    const expected = once(ctx.ds, `month:${key}`, () => expectedQuery(ctx.ds, windowByKey(ctx, key, 'month')));
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
  keys: (ctx) => weekWindows(ctx.ds).map((w) => w.label),
  request: (ctx, key) => {
    const range = timeRange(windowByKey(ctx, key, 'week'));
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
    const expected = once(ctx.ds, `week:${key}`, () => expectedExpand(ctx.ds, windowByKey(ctx, key, 'week')));
    return checkExpand(parseMultistatus(res.body.toString('utf8')), ctx.server.calendar, expected);
  },
};

/** Ten fixed batches of 100 distinct members. */
function batches(ds: DataSet, what: 'events' | 'contacts'): string[][] {
  return once(ds, `batches:${what}`, () => {
    const names = what === 'events' ? ds.events.map((e) => e.name) : ds.contacts.map((c) => c.name);
    const rng = new Rng(ds.seed ^ (what === 'events' ? 0x5eed : 0xca7d));
    return Array.from({ length: 10 }, () => {
      const pick = new Set<string>();
      const want = Math.min(100, names.length);
      while (pick.size < want) pick.add(names[Math.floor(rng.next() * names.length)]!);
      return [...pick];
    });
  });
}

/** The DAV:href elements of a multiget naming these members of a collection. */
function hrefsXml(collection: string, names: readonly string[]): string {
  return names.map((n) => `<D:href>${xmlEscape(hrefOf(collection, n))}</D:href>`).join('');
}

export const multigetPhase: QueryPhase = {
  name: 'calendar-multiget-100',
  floorable: true,
  keys: () => Array.from({ length: 10 }, (_, i) => String(i)),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
      hrefsXml(ctx.server.calendar, batches(ctx.ds, 'events')[Number(key)]!) +
      `</C:calendar-multiget>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.calendar,
      expected: new Set(batches(ctx.ds, 'events')[Number(key)]!),
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
  keys: () => FN_TERMS,
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
  keys: () => Array.from({ length: 10 }, (_, i) => String(i)),
  request: (ctx, key) => ({
    method: 'REPORT',
    path: ctx.server.addressbook,
    headers: { ...XML_HEADERS, Depth: '1' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><CR:addressbook-multiget ${NS_CARD}><D:prop><D:getetag/><CR:address-data/></D:prop>` +
      hrefsXml(ctx.server.addressbook, batches(ctx.ds, 'contacts')[Number(key)]!) +
      `</CR:addressbook-multiget>`,
  }),
  check(ctx, key, res) {
    const p = statusProblem(res);
    if (p.length) return p;
    return checkMembers(parseMultistatus(res.body.toString('utf8')), {
      collection: ctx.server.addressbook,
      expected: new Set(batches(ctx.ds, 'contacts')[Number(key)]!),
      uids: contactUid(ctx.ds),
      dataProp: 'address-data',
    });
  },
};
