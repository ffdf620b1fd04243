import type { AclReader } from '../../store/store.js';
import { PRIVILEGES, SCHEDULE_DELIVER, SCHEDULE_SEND, type Privilege } from './privilege.js';

/**
 * What stored ACEs grant one user on one resource and everything below it (RFC 3744 §5.5:
 * the ACEs of a collection are inherited by its members, §5.7). Loaded once per request
 * (`loadGrants`) and carried by the principal, so evaluating a Depth-1 PROPFIND of 10,000
 * members costs no store read per member.
 */
export interface Grant {
  readonly path: string;
  readonly privileges: ReadonlySet<Privilege>;
}

/**
 * Aggregates (RFC 3744 §3.12): `all` holds every privilege, `write` holds write-properties,
 * write-content, bind and unbind (§3.2), `read` holds CALDAV:read-free-busy (RFC 4791 §6.1.1).
 * DAV:write-acl is never granted by an ACE: only the owner changes an ACL (docs/ARCHITECTURE.md
 * "Access control"), so `all` granted to someone else means everything but write-acl.
 */
const CONTAINS: Readonly<Record<string, readonly Privilege[]>> = {
  // Everything but the aggregate itself and write-acl (never granted: the owner's alone).
  all: PRIVILEGES.filter((p) => p !== 'all' && p !== 'write-acl'),
  write: ['write', 'write-properties', 'write-content', 'bind', 'unbind'],
  read: ['read', 'read-free-busy'],
  'write-properties': ['write-properties'],
  'write-content': ['write-content'],
  bind: ['bind'],
  unbind: ['unbind'],
  unlock: ['unlock'],
  'read-acl': ['read-acl'],
  'read-current-user-privilege-set': ['read-current-user-privilege-set'],
  'read-free-busy': ['read-free-busy'],
  // RFC 6638 §6.3 (granted on a scheduling inbox or outbox; elsewhere they mean nothing).
  'schedule-deliver': SCHEDULE_DELIVER,
  'schedule-deliver-invite': ['schedule-deliver-invite'],
  'schedule-deliver-reply': ['schedule-deliver-reply'],
  'schedule-query-freebusy': ['schedule-query-freebusy'],
  'schedule-send': SCHEDULE_SEND,
  'schedule-send-invite': ['schedule-send-invite'],
  'schedule-send-reply': ['schedule-send-reply'],
  'schedule-send-freebusy': ['schedule-send-freebusy'],
};

/** The privilege names an ACE may grant, aggregates first (the ACL method refuses others). */
export const GRANTABLE: readonly string[] = Object.keys(CONTAINS);

/**
 * The privileges granting `names` gives. Anyone granted something may also read their own
 * privileges there (DAV:read-current-user-privilege-set), so clients can show what they may do.
 */
export function expandGranted(names: readonly string[]): Set<Privilege> {
  const out = new Set<Privilege>();
  for (const n of names) for (const p of CONTAINS[n] ?? []) out.add(p);
  if (out.size > 0) out.add('read-current-user-privilege-set');
  return out;
}

/** Every ACE that applies to the user, from one store query (store/capabilities/acl.ts). */
export async function loadGrants(store: AclReader, userId: number): Promise<Grant[]> {
  return (await store.grantsFor(userId)).map((g) => ({ path: g.path, privileges: expandGranted(g.privileges) }));
}

/** Whether a grant on `grantPath` reaches `path`: the resource itself or a member below it. */
export function covers(grantPath: string, path: string): boolean {
  // No `${grantPath}/` string made per test (0x2f is '/'): a listing asks this for every member and grant.
  return path.startsWith(grantPath) && (path.length === grantPath.length || path.charCodeAt(grantPath.length) === 0x2f);
}

/** Grants by path, for users with many (a sharee of dozens of calendars holds two per share). */
const byPath = new WeakMap<readonly Grant[], Map<string, Grant[]>>();
/** Below this many grants a scan is as quick as the index. */
const INDEX_FROM = 8;

function indexOf(grants: readonly Grant[]): Map<string, Grant[]> {
  let index = byPath.get(grants);
  if (!index) {
    index = new Map();
    for (const g of grants) index.set(g.path, [...(index.get(g.path) ?? []), g]);
    byPath.set(grants, index);
  }
  return index;
}

/** The grants that reach `path` (`covers`): on the path itself or on a collection above it. */
function reaching(grants: readonly Grant[], path: string): readonly Grant[] {
  if (grants.length < INDEX_FROM) return grants.filter((g) => covers(g.path, path));
  const index = indexOf(grants);
  const out: Grant[] = [];
  for (let p = path; ;) {
    out.push(...(index.get(p) ?? []));
    const cut = p.lastIndexOf('/');
    if (cut <= 0) return out;
    p = p.slice(0, cut);
  }
}

/** The union of what `grants` give on `path`; null when none reaches it. */
export function grantedOn(grants: readonly Grant[] | undefined, path: string): Set<Privilege> | null {
  if (!grants || grants.length === 0) return null;
  const found = reaching(grants, path);
  if (found.length === 0) return null;
  const out = new Set<Privilege>();
  for (const g of found) for (const p of g.privileges) out.add(p);
  return out;
}
