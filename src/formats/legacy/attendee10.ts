/**
 * vCalendar 1.0 ATTENDEE (versit vCalendar 1.0 §2.1.2: ROLE, STATUS, RSVP, EXPECT) ⇄ iCalendar 2.0
 * ORGANIZER and ATTENDEE (RFC 5545 §3.8.4.3, §3.8.4.1: PARTSTAT, ROLE, RSVP, CN). vCalendar 1.0
 * has no ORGANIZER property: the organizer is the ATTENDEE with ROLE=ORGANIZER (the form the
 * Synthesis engine of SyncEvolution and many phones reads and writes). Addresses travel bare
 * (`bob@example.com`) in 1.0 and as `mailto:` URIs in 2.0; a 1.0 value `Name <address>` gives
 * the CN.
 */
import type { IcalProperty } from '../ical/ical.js';
import { paramValue, type Line } from './lines.js';

/** vCalendar 1.0 attendee STATUS → iCalendar 2.0 PARTSTAT (SENT: asked, not answered). */
const PARTSTAT_20: Readonly<Record<string, string>> = {
  'NEEDS ACTION': 'NEEDS-ACTION',
  SENT: 'NEEDS-ACTION',
  ACCEPTED: 'ACCEPTED',
  CONFIRMED: 'ACCEPTED',
  DECLINED: 'DECLINED',
  TENTATIVE: 'TENTATIVE',
  DELEGATED: 'DELEGATED',
  COMPLETED: 'COMPLETED',
};

/** iCalendar 2.0 PARTSTAT → vCalendar 1.0 STATUS (IN-PROCESS has no 1.0 form). */
const STATUS_10: Readonly<Record<string, string>> = {
  'NEEDS-ACTION': 'NEEDS ACTION',
  ACCEPTED: 'ACCEPTED',
  DECLINED: 'DECLINED',
  TENTATIVE: 'TENTATIVE',
  DELEGATED: 'DELEGATED',
  COMPLETED: 'COMPLETED',
};

/** vCalendar 1.0 EXPECT → iCalendar 2.0 ROLE, and back. */
const ROLE_20: Readonly<Record<string, string>> = {
  REQUIRE: 'REQ-PARTICIPANT',
  IMMEDIATE: 'REQ-PARTICIPANT',
  REQUEST: 'OPT-PARTICIPANT',
  FYI: 'NON-PARTICIPANT',
};
const EXPECT_10: Readonly<Record<string, string>> = {
  'REQ-PARTICIPANT': 'REQUIRE',
  CHAIR: 'REQUIRE',
  'OPT-PARTICIPANT': 'REQUEST',
  'NON-PARTICIPANT': 'FYI',
};

/** An iCalendar parameter value, quoted when it holds characters a bare value may not (RFC 5545 §3.2). */
function param(name: string, value: string): string {
  const v = value.replace(/"/g, "'");
  return `;${name}=${/[;:,]/.test(v) ? `"${v}"` : v}`;
}

/** The address and display name of a 1.0 value: `bob@x`, `mailto:bob@x`, `Bob <bob@x>`; null when none. */
function address10(value: string): { uri: string; cn: string | null } | null {
  const v = value.trim();
  const named = /^(.*?)\s*<([^>]+)>$/.exec(v);
  const addr = (named?.[2] ?? v).trim();
  const cn = named?.[1]?.replace(/^"(.*)"$/, '$1').trim() || null;
  if (/^mailto:/i.test(addr)) return { uri: `mailto:${addr.slice(7)}`, cn };
  if (addr.includes('@') && !/\s/.test(addr)) return { uri: `mailto:${addr}`, cn };
  // Another URI (a principal URL): kept; a bare name is no calendar user address.
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(addr) || addr.startsWith('/')) return { uri: addr, cn };
  return null;
}

/** One vCalendar 1.0 ATTENDEE line → its iCalendar 2.0 ORGANIZER or ATTENDEE line (none without an address). */
export function attendee20(l: Line): string[] {
  const a = address10(l.value);
  if (!a) return [];
  const cn = a.cn ? param('CN', a.cn) : '';
  const role = (paramValue(l, 'ROLE') ?? '').toUpperCase();
  if (role === 'ORGANIZER') return [`ORGANIZER${cn}:${a.uri}`];
  const status = PARTSTAT_20[(paramValue(l, 'STATUS') ?? '').toUpperCase().replace(/[-_]/g, ' ')];
  const expect = ROLE_20[(paramValue(l, 'EXPECT') ?? '').toUpperCase()];
  const rsvp = (paramValue(l, 'RSVP') ?? '').toUpperCase();
  const line = [
    'ATTENDEE',
    cn,
    expect ? `;ROLE=${expect}` : '',
    status ? `;PARTSTAT=${status}` : '',
    rsvp === 'YES' || rsvp === 'TRUE' ? ';RSVP=TRUE' : rsvp === 'NO' || rsvp === 'FALSE' ? ';RSVP=FALSE' : '',
    `:${a.uri}`,
  ].join('');
  return [line];
}

/** The 1.0 form of a 2.0 calendar user address: `mailto:` dropped. */
const bare = (uri: string): string => uri.replace(/^mailto:/i, '');

/** An iCalendar 2.0 ORGANIZER or ATTENDEE → its vCalendar 1.0 ATTENDEE line. */
export function participant10(p: IcalProperty): string {
  const uri = String(p.getFirstValue());
  if (p.name === 'organizer') return `ATTENDEE;ROLE=ORGANIZER:${bare(uri)}`;
  const param = (n: string): string => {
    const v = p.getParameter(n);
    return v === undefined || v === null ? '' : String(v).toUpperCase();
  };
  const status = STATUS_10[param('partstat') || 'NEEDS-ACTION'];
  const expect = EXPECT_10[param('role') || 'REQ-PARTICIPANT'];
  const r = param('rsvp');
  return [
    'ATTENDEE;ROLE=ATTENDEE',
    status ? `;STATUS=${status}` : '',
    r === 'TRUE' ? ';RSVP=YES' : r === 'FALSE' ? ';RSVP=NO' : '',
    expect ? `;EXPECT=${expect}` : '',
    `:${bare(uri)}`,
  ].join('');
}
