/**
 * The rows and columns of the grant matrix (5.5-grant-matrix.test.ts): the ways Alice gives Bob
 * access to a calendar, what each gives once aggregates are expanded (RFC 3744 §3.12, RFC 4791
 * §6.1.1), and every method and report with the privileges it needs (RFC 3744 Appendix B,
 * RFC 4791 §7.10, RFC 6578 §3, RFC 3253 §3.8, draft-bitfire-webdav-push).
 */
import type { davFetch } from '../../helpers/server.js';

type Dav = ReturnType<typeof davFetch>;
type Privilege =
  | 'read'
  | 'read-free-busy'
  | 'write'
  | 'write-properties'
  | 'write-content'
  | 'bind'
  | 'unbind'
  | 'read-acl'
  | 'write-acl';

export const NS =
  'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:P="https://bitfire.at/webdav-push"';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
/** The summary of the one event of the calendar Bob is never given. */
export const PRIVATE_SECRET = 'private-secret-of-alice';

export interface AclGrant {
  readonly principal: 'user' | 'group' | 'authenticated';
  readonly privileges: readonly Privilege[];
}

export interface Case {
  /** Also the calendar's name. */
  readonly name: string;
  readonly share?: 'read' | 'read-write';
  readonly acl?: AclGrant;
}

export const CASES: readonly Case[] = [
  { name: 'none' },
  { name: 'share-read', share: 'read' },
  { name: 'share-read-write', share: 'read-write' },
  { name: 'user-read', acl: { principal: 'user', privileges: ['read'] } },
  { name: 'user-read-write', acl: { principal: 'user', privileges: ['read', 'write'] } },
  { name: 'user-write', acl: { principal: 'user', privileges: ['write'] } },
  { name: 'user-write-properties', acl: { principal: 'user', privileges: ['read', 'write-properties'] } },
  { name: 'user-bind', acl: { principal: 'user', privileges: ['read', 'bind'] } },
  { name: 'user-bind-only', acl: { principal: 'user', privileges: ['bind'] } },
  { name: 'user-unbind', acl: { principal: 'user', privileges: ['read', 'unbind'] } },
  { name: 'user-read-free-busy', acl: { principal: 'user', privileges: ['read-free-busy'] } },
  { name: 'group-read', acl: { principal: 'group', privileges: ['read'] } },
  { name: 'group-read-write', acl: { principal: 'group', privileges: ['read', 'write'] } },
  { name: 'authenticated-read', acl: { principal: 'authenticated', privileges: ['read'] } },
  { name: 'authenticated-read-free-busy', acl: { principal: 'authenticated', privileges: ['read-free-busy'] } },
];

const AGGREGATES: Partial<Record<Privilege, readonly Privilege[]>> = {
  read: ['read-free-busy'],
  write: ['write-properties', 'write-content', 'bind', 'unbind'],
};

/** What the case gives Bob: the privileges named, with what they aggregate. */
export function effective(c: Case): Set<Privilege> {
  const named: Privilege[] = [...(c.acl?.privileges ?? [])];
  if (c.share) named.push(...(c.share === 'read' ? (['read'] as const) : (['read', 'write'] as const)));
  const out = new Set<Privilege>();
  for (const p of named) for (const q of [p, ...(AGGREGATES[p] ?? [])]) out.add(q);
  return out;
}

const PRINCIPAL: Record<AclGrant['principal'], string> = {
  user: '<D:href>/dav/principals/users/bob/</D:href>',
  group: '<D:href>/dav/principals/groups/team/</D:href>',
  authenticated: '<D:authenticated/>',
};

/** Set the calendar's ACL to the one ACE of `grant` (none = revoke everything). */
export async function grantAcl(dav: Dav, base: string, grant: AclGrant | null): Promise<void> {
  const ace = grant
    ? `<D:ace><D:principal>${PRINCIPAL[grant.principal]}</D:principal><D:grant>` +
      grant.privileges
        .map((p) => `<D:privilege>${p === 'read-free-busy' ? '<C:read-free-busy/>' : `<D:${p}/>`}</D:privilege>`)
        .join('') +
      '</D:grant></D:ace>'
    : '';
  const res = await dav(base, {
    method: 'ACL',
    headers: XML,
    body: `<?xml version="1.0"?><D:acl ${NS}>${ace}</D:acl>`,
  });
  if (res.status !== 200) throw new Error(`ACL ${base}: ${res.status} ${await res.text()}`);
}

/** A one-event VCALENDAR whose UID and SUMMARY are `uid`. */
export function event(uid: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//almanac test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T100000Z',
    'DTEND:20260105T110000Z',
    `SUMMARY:${uid}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

interface Target {
  readonly dav: Dav;
  /** The calendar's href as Bob names it: Alice's path or Bob's instance. */
  readonly base: string;
  readonly name: string;
  readonly instance: boolean;
  /** A push-register body for a fresh subscription. */
  readonly pushRegister: () => string;
}

export interface Operation {
  readonly name: string;
  /** The privileges the request needs, on the calendar or its member (Appendix B). */
  readonly needs: readonly Privilege[];
  /** The same through Bob's instance, where it differs (caldav-sharing §5.5.3: PROPPATCH writes Bob's own properties). */
  readonly needsOnInstance?: readonly Privilege[];
  /** The status of success. */
  readonly ok: number;
  /** Refused to a sharee whatever the share grants (caldav-sharing §5.5.5 item 2: no MOVE out of a shared calendar). */
  readonly refusedToSharees?: true;
  send(t: Target): Promise<Response>;
  /** On success, what the answer must hold (a message when it does not). */
  verify?(body: string, name: string): string | undefined;
  /** Not sent through an instance (COPY/MOVE Destinations through one are not mapped yet). */
  readonly throughInstance?: false;
}

const suffix = (t: Target) => (t.instance ? '-i' : '');
const report = (t: Target, body: string, depth = '1') =>
  t.dav(t.base, { method: 'REPORT', headers: { ...XML, Depth: depth }, body: `<?xml version="1.0"?>${body}` });
const has = (needle: string) => (body: string) => (body.includes(needle) ? undefined : `no ${needle} in the answer`);
const PROPS = '<D:prop><D:getetag/><C:calendar-data/></D:prop>';

export const operations: readonly Operation[] = [
  {
    name: 'PROPFIND Depth 0',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      t.dav(t.base, {
        method: 'PROPFIND',
        headers: { ...XML, Depth: '0' },
        body: `<D:propfind ${NS}><D:prop><D:displayname/><D:sync-token/></D:prop></D:propfind>`,
      }),
    verify: has('<D:sync-token>'),
  },
  {
    name: 'PROPFIND Depth 1',
    needs: ['read'],
    ok: 207,
    send: (t) => t.dav(t.base, { method: 'PROPFIND', headers: { Depth: '1' } }),
    verify: has('ev.ics</D:href>'),
  },
  {
    name: 'GET member',
    needs: ['read'],
    ok: 200,
    send: (t) => t.dav(`${t.base}ev.ics`),
    verify: (body, name) => has(`SUMMARY:${name}-ev`)(body),
  },
  {
    name: 'PUT new member',
    needs: ['bind'],
    ok: 201,
    send: (t) =>
      t.dav(`${t.base}new${suffix(t)}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: event(`${t.name}-new${suffix(t)}`),
      }),
  },
  {
    name: 'PUT over a member',
    needs: ['write-content'],
    ok: 204,
    send: (t) =>
      t.dav(`${t.base}ev.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: event(`${t.name}-ev`),
      }),
  },
  {
    name: 'DELETE member',
    needs: ['unbind'],
    ok: 204,
    send: (t) => t.dav(`${t.base}del${suffix(t)}.ics`, { method: 'DELETE' }),
  },
  {
    name: 'PROPPATCH calendar',
    needs: ['write-properties'],
    needsOnInstance: ['read'],
    ok: 207,
    send: (t) =>
      t.dav(t.base, {
        method: 'PROPPATCH',
        headers: XML,
        body: `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>renamed by bob</D:displayname></D:prop></D:set></D:propertyupdate>`,
      }),
    verify: has('200 OK'),
  },
  {
    name: 'MKCOL inside',
    needs: ['bind'],
    // RFC 4791 §4.2: no collection inside a calendar collection, whoever asks.
    ok: 403,
    send: (t) => t.dav(`${t.base}sub${suffix(t)}/`, { method: 'MKCOL' }),
  },
  {
    name: 'COPY member out',
    needs: ['read'],
    ok: 201,
    throughInstance: false,
    send: (t) =>
      t.dav(`${t.base}ev.ics`, {
        method: 'COPY',
        headers: { Destination: `/dav/calendars/bob/in/copy-${t.name}.ics` },
      }),
  },
  {
    name: 'COPY into',
    needs: ['bind'],
    ok: 201,
    throughInstance: false,
    send: (t) =>
      t.dav('/dav/calendars/bob/default/mine.ics', {
        method: 'COPY',
        headers: { Destination: `${t.base}copied.ics` },
      }),
  },
  {
    name: 'MOVE member out',
    needs: ['read', 'unbind'],
    ok: 201,
    refusedToSharees: true,
    throughInstance: false,
    send: (t) =>
      t.dav(`${t.base}mv.ics`, {
        method: 'MOVE',
        headers: { Destination: `/dav/calendars/bob/in/mv-${t.name}.ics` },
      }),
  },
  {
    name: 'LOCK member',
    needs: ['write-content'],
    ok: 200,
    send: (t) =>
      t.dav(`${t.base}lk${suffix(t)}.ics`, {
        method: 'LOCK',
        headers: { ...XML, Timeout: 'Second-60' },
        body: `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>bob</D:owner></D:lockinfo>`,
      }),
  },
  {
    name: 'calendar-query',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      report(
        t,
        `<C:calendar-query ${NS}>${PROPS}<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`,
      ),
    verify: (body, name) => has(`SUMMARY:${name}-ev`)(body),
  },
  {
    name: 'calendar-multiget with a foreign href',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      report(
        t,
        `<C:calendar-multiget ${NS}>${PROPS}<D:href>${t.base}ev.ics</D:href>` +
          '<D:href>/dav/calendars/alice/private/p.ics</D:href><D:href>/dav/calendars/bob/default/mine.ics</D:href></C:calendar-multiget>',
      ),
    verify: (body, name) =>
      has(`SUMMARY:${name}-ev`)(body) ?? (body.includes('SUMMARY:bob-own') ? 'a non-member href was read' : undefined),
  },
  {
    name: 'sync-collection',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      report(
        t,
        `<D:sync-collection ${NS}><D:sync-token/><D:sync-level>1</D:sync-level>${PROPS}</D:sync-collection>`,
        '0',
      ),
    verify: (body, name) => has(`SUMMARY:${name}-ev`)(body),
  },
  {
    name: 'free-busy-query',
    needs: ['read-free-busy'],
    ok: 200,
    send: (t) =>
      report(
        t,
        `<C:free-busy-query ${NS}><C:time-range start="20260101T000000Z" end="20260201T000000Z"/></C:free-busy-query>`,
      ),
    verify: (body, name) =>
      has('FREEBUSY')(body) ?? (body.includes(`${name}-ev`) ? 'free-busy names an event' : undefined),
  },
  {
    name: 'expand-property',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      report(
        t,
        `<D:expand-property ${NS}><D:property name="owner"><D:property name="displayname"/></D:property><D:property name="sync-token"/></D:expand-property>`,
        '0',
      ),
    verify: has('<D:sync-token>'),
  },
  {
    name: 'principal-match',
    needs: ['read'],
    ok: 207,
    send: (t) =>
      report(
        t,
        `<D:principal-match ${NS}><D:principal-property><D:owner/></D:principal-property><D:prop><D:getetag/></D:prop></D:principal-match>`,
        '0',
      ),
  },
  {
    name: 'acl-principal-prop-set',
    needs: ['read-acl'],
    ok: 207,
    send: (t) =>
      report(t, `<D:acl-principal-prop-set ${NS}><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>`, '0'),
  },
  {
    name: 'push-register',
    needs: ['read'],
    ok: 201,
    send: (t) => t.dav(t.base, { method: 'POST', headers: XML, body: t.pushRegister() }),
  },
  {
    name: 'ACL',
    needs: ['write-acl'],
    ok: 200,
    send: (t) =>
      t.dav(t.base, {
        method: 'ACL',
        headers: XML,
        body: `<?xml version="1.0"?><D:acl ${NS}><D:ace><D:principal><D:href>/dav/principals/users/carol/</D:href></D:principal><D:grant><D:privilege><D:read/></D:privilege></D:grant></D:ace></D:acl>`,
      }),
  },
  {
    name: 'CS:share on',
    needs: ['write-acl'],
    ok: 200,
    send: (t) =>
      t.dav(t.base, {
        method: 'POST',
        headers: XML,
        body: `<CS:share ${NS}><CS:set><D:href>mailto:carol@example.com</D:href><CS:read/></CS:set></CS:share>`,
      }),
  },
];
