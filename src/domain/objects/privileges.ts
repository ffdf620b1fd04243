import type { Resource } from '../../store/types.js';
import { grantedOn, type Grant } from '../acl/grants.js';
import { PRIVILEGES, SCHEDULE_DELIVER, SCHEDULE_SEND, type Privilege } from '../acl/privilege.js';

export type { Privilege } from '../acl/privilege.js';

/** Who asks: the authenticated user a write or read is done as. */
export interface Principal {
  readonly id: number;
  readonly name: string;
  /** What stored ACEs grant this user (domain/acl/grants.ts); absent = none were loaded. */
  readonly grants?: readonly Grant[];
}

/** What privileges are evaluated on: a virtual container, a principal, or a stored resource. */
interface AccessTarget {
  readonly kind: 'virtual' | 'principal' | 'stored';
  readonly path: string;
  readonly ownerId: number | null;
  readonly stored: Resource | null;
  /** A group principal; one whose ownerId is set is a group its owner manages (proxy groups). */
  readonly group?: object;
  /** A calendar-user proxy group principal (caldav-proxy §5.2), whether its group was made yet or not. */
  readonly proxy?: object;
}

const READ_ONLY: ReadonlySet<Privilege> = new Set(['read', 'read-free-busy', 'read-current-user-privilege-set']);
const ALL: ReadonlySet<Privilege> = new Set(PRIVILEGES);
/** One's own principal: read it and its ACL. */
const OWN_PRINCIPAL: ReadonlySet<Privilege> = new Set([...READ_ONLY, 'read-acl']);
/** One's own proxy groups: also change their members (caldav-proxy §3.1, §5.2). */
const OWN_GROUP: ReadonlySet<Privilege> = new Set([...OWN_PRINCIPAL, 'write-properties']);

/**
 * A derived calendar (an .ics subscription, the birthday calendar) is written by the server
 * only: its owner may read it, rename or recolour it (write-properties on the collection) and
 * delete it as a whole (unbind on the home), but not bind, unbind or change its members.
 * Clients read the missing write privileges in current-user-privilege-set and show it read-only.
 */
const DERIVED_COLLECTION: ReadonlySet<Privilege> = new Set([...READ_ONLY, 'read-acl', 'unlock', 'write-properties']);
const DERIVED_MEMBER: ReadonlySet<Privilege> = new Set([...READ_ONLY, 'read-acl', 'unlock']);

/** The owner rule: a user has every privilege on their own data but the writes of derived calendars. */
function ownerPrivileges(r: AccessTarget): ReadonlySet<Privilege> {
  if (r.stored?.derived) return r.stored.isCollection ? DERIVED_COLLECTION : DERIVED_MEMBER;
  return ALL;
}

/**
 * The privileges `principal` has on `r`: the owner rule ∪ what stored ACEs grant (RFC 3744
 * §5.5, directly, through a group, or to DAV:authenticated / DAV:all), inherited from every
 * collection above `r`. A user has every privilege on their own data, except the write
 * privileges on derived calendars, which no grant gives either; any authenticated user may read
 * the virtual containers and every principal (so clients can discover and search principals);
 * nobody else gets anything. Synchronous: the grants came with the principal, loaded once.
 */
export function privilegesOf(principal: Principal, r: AccessTarget): ReadonlySet<Privilege> {
  if (r.kind === 'virtual') return READ_ONLY;
  if (r.kind === 'principal') {
    if (r.ownerId !== principal.id) return READ_ONLY;
    return r.proxy || r.group ? OWN_GROUP : OWN_PRINCIPAL;
  }
  const own = r.ownerId === principal.id ? ownerPrivileges(r) : null;
  const granted = grantedOn(principal.grants, r.path);
  const box = r.stored?.collectionType;
  if (!granted && (own || (box !== 'schedule-inbox' && box !== 'schedule-outbox'))) return own ?? new Set();
  const ceiling = ownerPrivileges(r);
  const out = new Set<Privilege>(own ?? []);
  for (const p of granted ?? []) if (ceiling.has(p)) out.add(p);
  if (!own) addSchedulingDefaults(out, box);
  return out;
}

/**
 * RFC 6638 §6 defaults for users other than the owner, as CalendarServer and sabre/dav grant
 * them: every authenticated user may deliver invitations and replies to anyone's inbox and
 * query their free-busy (§6.1); whoever may write the outbox (a write proxy, through the grant
 * on the owner's home, caldav-proxy §5.4) may send for its owner (§6.2).
 */
function addSchedulingDefaults(out: Set<Privilege>, box: string | undefined): void {
  if (box === 'schedule-inbox') for (const p of SCHEDULE_DELIVER) out.add(p);
  if (box === 'schedule-outbox' && out.has('write')) for (const p of SCHEDULE_SEND) out.add(p);
}

/** `privilegesOf` for a stored resource. */
export function holds(principal: Principal, r: Resource, privilege: Privilege): boolean {
  return privilegesOf(principal, { kind: 'stored', path: r.path, ownerId: r.ownerId, stored: r }).has(privilege);
}
