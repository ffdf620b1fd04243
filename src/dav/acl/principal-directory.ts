import { PROXY_ROLES } from '../../domain/acl/proxies.js';
import type { AclReader, UsersReader } from '../../store/store.js';
import { groupResource, principalResource, proxyResource, type DavResource } from '../core/resource.js';

/**
 * The principal directory: who the principal collections list and principal searches look at.
 * Every authenticated user may read every principal (users, groups and the users' proxy
 * groups), as on every CalDAV server: clients search it to invite people and to share. What a
 * principal shows is its name, display name, addresses and memberships, never its data
 * (docs/ARCHITECTURE.md "Access control").
 */
type DirectoryReader = Pick<UsersReader, 'listUsers'> & Pick<AclReader, 'listGroups' | 'getOwnedGroup'>;

/** The principal collections (RFC 3744 §5.8 DAV:principal-collection-set), as store paths. */
export const PRINCIPAL_COLLECTIONS: readonly string[] = ['/principals/users', '/principals/groups'];

/** The two proxy group principals of a user principal (caldav-proxy §5.2), made or not. */
export async function proxyGroupsOf(store: DirectoryReader, r: DavResource): Promise<DavResource[]> {
  const owner = r.principal;
  if (!owner) return [];
  const out: DavResource[] = [];
  for (const role of PROXY_ROLES) out.push(proxyResource(owner, role, await store.getOwnedGroup(owner.id, role)));
  return out;
}

/**
 * The members of a principal collection or a principal: the users of /principals/users, the
 * groups of /principals/groups, a user principal's two proxy groups. Null for anything else.
 */
export async function principalMembers(store: DirectoryReader, r: DavResource): Promise<DavResource[] | null> {
  if (r.path === '/principals/users') return (await store.listUsers()).map(principalResource);
  if (r.path === '/principals/groups') return (await store.listGroups()).map(groupResource);
  if (r.kind === 'principal' && r.principal) return proxyGroupsOf(store, r);
  return null;
}

/** Every user and group principal, users first, in name order: what the principal reports search. */
export async function everyPrincipal(store: DirectoryReader): Promise<DavResource[]> {
  return [...(await store.listUsers()).map(principalResource), ...(await store.listGroups()).map(groupResource)];
}
