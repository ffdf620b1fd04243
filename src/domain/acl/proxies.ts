/**
 * Calendar-user proxies (caldav-proxy.txt, "Calendar User Proxy Functionality in CalDAV"):
 * every user has two proxy groups, calendar-proxy-read and calendar-proxy-write, whose members
 * act for them. A group is made the first time its owner gives it members (§5.2); with it goes
 * an ACE on the owner's calendar home granting the group DAV:read, or DAV:read and DAV:write
 * (§5.4), inherited by every calendar, the scheduling inbox and outbox below (§3.1 a–c). The
 * grant is evaluated like any other ACE (domain/acl/grants.ts): one query per request.
 */
import type { Group, StoredAce } from '../../store/capabilities/acl.js';
import type { AclReader, StoreTx } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { homePaths } from '../users.js';

export const PROXY_ROLES = ['calendar-proxy-read', 'calendar-proxy-write'] as const;
export type ProxyRole = (typeof PROXY_ROLES)[number];

export function isProxyRole(role: string | null): role is ProxyRole {
  return (PROXY_ROLES as readonly (string | null)[]).includes(role);
}

/** What each proxy group is granted on its owner's calendar home (caldav-proxy §5.4). */
const PROXY_PRIVILEGES: Readonly<Record<ProxyRole, readonly string[]>> = {
  'calendar-proxy-read': ['read'],
  'calendar-proxy-write': ['read', 'write'],
};

/** Whether `group` is one of `ownerId`'s proxy groups (its ACE is the server's: protected). */
function isProxyGroupOf(group: Group | null, ownerId: number | null): boolean {
  return group !== null && group.owner !== null && group.owner.id === ownerId && isProxyRole(group.role);
}

/** Whether an ACE is the server's grant to one of `ownerId`'s proxy groups (protected, RFC 3744 §5.5). */
export async function isProxyAce(
  store: Pick<AclReader, 'getGroupById'>,
  ace: StoredAce,
  ownerId: number | null,
): Promise<boolean> {
  return ace.principal.kind === 'group' && isProxyGroupOf(await store.getGroupById(ace.principal.id), ownerId);
}

/** The owner's calendar home ACEs with the proxy group's grant present once (added when missing). */
function withProxyAce(aces: readonly StoredAce[], group: Group, role: ProxyRole): StoredAce[] {
  const names = (a: StoredAce): boolean => a.principal.kind === 'group' && a.principal.id === group.id;
  if (aces.some(names)) return [...aces];
  return [...aces, { principal: { kind: 'group', id: group.id }, privileges: PROXY_PRIVILEGES[role] }];
}

/**
 * Replace the members of `owner`'s proxy group `role` with `members` (the effect of a PROPPATCH
 * of its DAV:group-member-set, caldav-proxy §3.2), in the caller's transaction. The owner is
 * never their own proxy: they are dropped from the list.
 */
export async function setProxyMembers(
  tx: StoreTx,
  owner: User,
  role: ProxyRole,
  members: readonly User[],
): Promise<void> {
  const group = await tx.ensureOwnedGroup(owner, role);
  const home = await tx.getResource(homePaths(owner.name).calendars);
  if (home) {
    const aces = await tx.getAces(home.path);
    const next = withProxyAce(aces, group, role);
    if (next.length !== aces.length) await tx.setAces(home.id, next);
  }
  const wanted = new Set(members.filter((u) => u.id !== owner.id).map((u) => u.id));
  const current = await tx.groupMembers(group.id);
  for (const u of current) if (!wanted.has(u.id)) await tx.removeGroupMember(group.id, u.id);
  for (const id of wanted) if (!current.some((u) => u.id === id)) await tx.addGroupMember(group.id, id);
}

/** The users `userId` is a proxy for in `role` (the CS:calendar-proxy-read-for / -write-for value, §5.3). */
export async function proxyFor(store: Pick<StoreTx, 'groupsOf'>, userId: number, role: ProxyRole): Promise<string[]> {
  return (await store.groupsOf(userId))
    .filter((g) => g.role === role && g.owner !== null)
    .map((g) => g.owner?.name ?? '')
    .sort();
}
