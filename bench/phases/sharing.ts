/**
 * Sharing and delegation at the sizes real accounts reach (issue #17):
 * - propfind-home-50-shared: PROPFIND Depth 1 of a calendar home holding 50 instances of calendars
 *   shared with its user (caldav-sharing §5.4.1), with the properties iOS/macOS and DAVx5 ask in
 *   discovery. Target: p50 under 30 ms.
 * - expand-proxy-162-delegates: the expand-property macOS Calendar sends to list a principal's
 *   delegates (caldav-proxy §5.2: calendar-proxy-read and -write groups and their members' names and
 *   addresses), for a principal with 162 of them.
 *
 * Against an in-process test server of its own (SQLite), one request at a time. Each request is
 * followed by the same request to a floor in this process (a node:http server answering the bytes
 * Almanac gave, as bench/floor-server.ts does), so the ratio to the floor is timed in the same state.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '../../src/domain/passwords.js';
import { createUser } from '../../src/domain/users.js';
import { startTestServer, type TestServer } from '../../test/helpers/server.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const SHARED_HOME_PHASE = 'propfind-home-50-shared';
export const DELEGATES_PHASE = 'expand-proxy-162-delegates';
const SHARED = 50;
const DELEGATES = 162;
const MAX_ROUNDS = 100;
const NS =
  'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/"';

/** The Depth-1 PROPFIND of a calendar home that iOS/macOS and DAVx5 send in discovery. */
const HOME_PROPFIND =
  `<?xml version="1.0" encoding="utf-8"?><D:propfind ${NS}><D:prop><D:resourcetype/><D:displayname/>` +
  '<D:current-user-privilege-set/><D:owner/><D:sync-token/><CS:getctag/><I:calendar-color/><I:calendar-order/>' +
  '<C:supported-calendar-component-set/><C:calendar-description/><CS:invite/><CS:shared-url/><D:share-access/>' +
  '<C:schedule-calendar-transp/></D:prop></D:propfind>';

/** The expand-property macOS Calendar sends to a proxy group to list its members (Accounts → Delegation). */
const DELEGATES_EXPAND =
  `<?xml version="1.0" encoding="UTF-8"?><D:expand-property ${NS}>` +
  '<D:property name="group-member-set"><D:property name="displayname"/>' +
  '<D:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/>' +
  '<D:property name="email-address-set" namespace="http://calendarserver.org/ns/"/></D:property>' +
  '</D:expand-property>';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;

async function dav(
  server: TestServer,
  user: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: basic(user), ...init.headers },
  });
  return { status: res.status, text: await res.text() };
}

async function must(p: Promise<{ status: number; text: string }>, status: number, what: string): Promise<string> {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.text;
}

/** The owner shares 50 calendars with the sharee, who accepts each (caldav-sharing §5.3.2, §5.4.1). */
async function shareFifty(server: TestServer): Promise<void> {
  for (let i = 0; i < SHARED; i++) {
    const path = `/dav/calendars/owner/team-${i}/`;
    await must(dav(server, 'owner', path, { method: 'MKCALENDAR' }), 201, 'MKCALENDAR');
    const share =
      `<CS:share ${NS}><CS:set><D:href>mailto:sharee@example.com</D:href>` +
      `<CS:summary>Team ${i}</CS:summary><CS:read-write/></CS:set></CS:share>`;
    await must(dav(server, 'owner', path, { method: 'POST', headers: XML, body: share }), 200, 'CS:share');
  }
  const listing = await must(
    dav(server, 'sharee', '/dav/calendars/sharee/notification/', { method: 'PROPFIND', headers: { Depth: '1' } }),
    207,
    'notifications',
  );
  for (const [, href] of listing.matchAll(/<D:href>([^<]+\.xml)<\/D:href>/g)) {
    const xml = await must(dav(server, 'sharee', href!), 200, 'invitation');
    const uid = /<CS:uid>([^<]+)</.exec(xml)?.[1];
    const host = /<CS:hosturl><D:href>([^<]+)</.exec(xml)?.[1];
    if (!uid || !host) continue;
    const reply =
      `<CS:invite-reply ${NS}><D:href>mailto:sharee@example.com</D:href><CS:invite-accepted/>` +
      `<CS:hosturl><D:href>${host}</D:href></CS:hosturl><CS:in-reply-to>${uid}</CS:in-reply-to></CS:invite-reply>`;
    await must(
      dav(server, 'sharee', '/dav/calendars/sharee/', { method: 'POST', headers: XML, body: reply }),
      200,
      'reply',
    );
  }
}

/** 162 users (one password hash for all) made the owner's write delegates, as macOS sets them. */
async function delegateTo162(server: TestServer): Promise<void> {
  const passwordHash = await hashPassword('pw');
  const names = Array.from({ length: DELEGATES }, (_, i) => `delegate${String(i).padStart(3, '0')}`);
  await server.store.transaction(
    names.map((n) => `/files/${n}`),
    async (tx) => {
      for (const name of names)
        await createUser(tx, { name, password: { passwordHash }, email: `${name}@example.com`, displayName: name });
    },
  );
  const body =
    `<?xml version="1.0"?><D:propertyupdate ${NS}><D:set><D:prop><D:group-member-set>` +
    names.map((n) => `<D:href>/dav/principals/users/${n}/</D:href>`).join('') +
    '</D:group-member-set></D:prop></D:set></D:propertyupdate>';
  await must(
    dav(server, 'owner', '/dav/principals/users/owner/calendar-proxy-write/', {
      method: 'PROPPATCH',
      headers: XML,
      body,
    }),
    207,
    'PROPPATCH group-member-set',
  );
}

/** A floor in this process: answers every request with `body`. */
async function floor(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const bytes = Buffer.from(body);
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(bytes.length) });
      res.end(bytes);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, text };
}

interface Measured {
  readonly phase: string;
  readonly user: string;
  readonly path: string;
  readonly init: { method: string; headers: Record<string, string>; body: string };
  /** What a right answer holds: a problem, or undefined. */
  check(text: string): string | undefined;
}

/** Alternate Almanac and the floor for `rounds` rounds; the phase with its ratio to the floor. */
async function measure(
  server: TestServer,
  m: Measured,
  rounds: number,
  log: (l: string) => void,
): Promise<PhaseResult> {
  const init = { ...m.init, headers: { ...m.init.headers, Authorization: basic(m.user) } };
  const first = await timed(`${server.url}${m.path}`, init);
  const problem = first.status === 207 ? m.check(first.text) : `HTTP ${first.status}`;
  if (problem) return { phase: m.phase, status: 'failed', problems: [problem], note: problem };
  const fl = await floor(first.text);
  try {
    const almanac: number[] = [];
    const flo: number[] = [];
    let wrong = 0;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      const a = await timed(`${server.url}${m.path}`, init);
      if (a.status !== 207 || a.text !== first.text) wrong++;
      almanac.push(a.ms);
      flo.push((await timed(`${fl.url}${m.path}`, init)).ms);
    }
    const seconds = (performance.now() - t0) / 1000;
    const stats = summarize(almanac, 0, wrong, seconds, 0, false);
    const floorStats = summarize(flo, 0, 0, seconds, 0, false);
    const note = `${(stats.p50 / floorStats.p50).toFixed(2)}× the floor (floor p50 ${floorStats.p50.toFixed(2)} ms), ${first.text.length} bytes`;
    log(`  ${m.phase}: p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms — ${note}`);
    const problems = wrong > 0 ? [`${wrong} answers differed from the first`] : [];
    return { phase: m.phase, status: wrong > 0 ? 'failed' : 'ok', stats, problems, note };
  } finally {
    await fl.close();
  }
}

/** `what` found in the answer `expected` times at least (a problem otherwise). */
const atLeast = (re: RegExp, expected: number, what: string) => (text: string) => {
  const n = [...text.matchAll(re)].length;
  return n >= expected ? undefined : `${n} ${what}, expected ${expected}`;
};

/** The two measured requests: the sharee's home, the owner's proxy group. */
const MEASURED: readonly Measured[] = [
  {
    phase: SHARED_HOME_PHASE,
    user: 'sharee',
    path: '/dav/calendars/sharee/',
    init: { method: 'PROPFIND', headers: { ...XML, Depth: '1' }, body: HOME_PROPFIND },
    check: atLeast(/<CS:shared\/>/g, SHARED, 'shared instances listed'),
  },
  {
    phase: DELEGATES_PHASE,
    user: 'owner',
    path: '/dav/principals/users/owner/calendar-proxy-write/',
    init: { method: 'REPORT', headers: { ...XML, Depth: '0' }, body: DELEGATES_EXPAND },
    check: atLeast(/mailto:delegate\d+@example\.com/g, DELEGATES, 'delegate addresses'),
  },
];

export async function runSharing(requests: number, log: (line: string) => void): Promise<PhaseResult[]> {
  const rounds = Math.max(1, Math.min(MAX_ROUNDS, requests));
  let server: TestServer | undefined;
  try {
    server = await startTestServer({ users: { owner: 'pw', sharee: 'pw' } });
    const t0 = performance.now();
    await shareFifty(server);
    await delegateTo162(server);
    log(
      `  sharing set-up: ${SHARED} shares, ${DELEGATES} delegates in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const out: PhaseResult[] = [];
    for (const m of MEASURED) out.push(await measure(server, m, rounds, log));
    return out;
  } catch (err) {
    const note = String((err as Error).message ?? err);
    return [{ phase: SHARED_HOME_PHASE, status: 'failed', problems: [note], note }];
  } finally {
    await server?.close();
  }
}
