import type { AclReader, ObjectsReader, SharesReader, UsersReader } from '../../store/store.js';
import type { Group } from '../../store/capabilities/acl.js';
import type { Resource, User } from '../../store/types.js';
import type { Mount } from './mount.js';
import { isProxyRole, type ProxyRole } from '../../domain/acl/proxies.js';

/**
 * A resource as the DAV layer sees it: a virtual container (the DAV root, /files, /principals…),
 * a principal (backed by a user), or a stored resource.
 */
export interface DavResource {
  readonly path: string;
  readonly kind: 'virtual' | 'principal' | 'stored';
  readonly isCollection: boolean;
  readonly stored: Resource | null;
  /** For principal resources: the user (null for a group principal). */
  readonly principal: User | null;
  /** For a group principal (RFC 3744 §2, /principals/groups/NAME): the group. */
  readonly group?: Group;
  /**
   * For a calendar-user proxy group (caldav-proxy §5.2, /principals/users/NAME/ROLE): its owner
   * and role. Every user has both; `group` is set once the owner has given it members.
   */
  readonly proxy?: { readonly owner: User; readonly role: ProxyRole };
  /** The user whose data this is; null for shared virtual containers. */
  readonly ownerId: number | null;
  /**
   * Set on a shared collection seen as a sharee's instance (issue #17 sharing): `stored` is the
   * shared collection, `instance` the sharee's view of it — its path in their home and their
   * per-user dead properties, which take the place of the owner's of the same name.
   */
  readonly instance?: Mount;
}

/** Top-level virtual containers, in listing order. Protocols add theirs via `registerContainer`. */
const containers = new Map<string, 'homes' | 'fixed'>([
  ['/', 'fixed'],
  ['/principals', 'fixed'],
  ['/principals/users', 'homes'],
  ['/principals/groups', 'fixed'],
  ['/files', 'homes'],
  ['/calendars', 'homes'],
  ['/addressbooks', 'homes'],
]);

export function isHomeContainer(path: string): boolean {
  return containers.get(path) === 'homes';
}

export function virtualChildren(path: string): string[] {
  const out: string[] = [];
  for (const p of containers.keys()) {
    if (p === '/' || p === path) continue;
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (parent === path) out.push(p);
  }
  return out;
}

function virtual(path: string): DavResource {
  return { path, kind: 'virtual', isCollection: true, stored: null, principal: null, ownerId: null };
}

export function principalPath(userName: string): string {
  return `/principals/users/${userName}`;
}

export function principalResource(user: User): DavResource {
  return {
    path: principalPath(user.name),
    kind: 'principal',
    isCollection: true,
    stored: null,
    principal: user,
    ownerId: user.id,
  };
}

/** The path of a group principal: /principals/groups/NAME, or below its owner's principal for an owned group. */
export function groupPath(group: Group): string {
  if (group.owner && group.role) return `${principalPath(group.owner.name)}/${group.role}`;
  return `/principals/groups/${group.name}`;
}

/** A group's principal resource (RFC 3744 §2: a group is a principal; its members in DAV:group-member-set). */
export function groupResource(group: Group): DavResource {
  return {
    path: groupPath(group),
    kind: 'principal',
    isCollection: true,
    stored: null,
    principal: null,
    group,
    ownerId: group.owner?.id ?? null,
  };
}

/** A user's calendar-user proxy group principal (caldav-proxy §5.2), made or not yet. */
export function proxyResource(owner: User, role: ProxyRole, group: Group | null): DavResource {
  return {
    path: `${principalPath(owner.name)}/${role}`,
    kind: 'principal',
    isCollection: true,
    stored: null,
    principal: null,
    ...(group ? { group } : {}),
    proxy: { owner, role },
    ownerId: owner.id,
  };
}

export function storedResource(r: Resource): DavResource {
  return { path: r.path, kind: 'stored', isCollection: r.isCollection, stored: r, principal: null, ownerId: r.ownerId };
}

/** A shared collection as one of the sharee's instances: under the instance's path, with the share's view. */
export function instanceResource(shared: Resource, mount: Mount, path: string = mount.instancePath): DavResource {
  return { ...storedResource(shared), path, instance: mount };
}

/**
 * The accepted instances in a user's home (`/calendars/bob`, `/addressbooks/bob`): the shared
 * collections they stand for, listed among the home's members under the instances' paths.
 */
export async function instancesIn(
  store: ObjectsReader & Pick<SharesReader, 'sharesFor'>,
  home: DavResource,
): Promise<DavResource[]> {
  if (!home.stored || home.stored.parentId !== null || home.ownerId === null) return [];
  const shares = (await store.sharesFor(home.ownerId)).filter((s) => s.instancePath?.startsWith(`${home.path}/`));
  // The shared collections of every instance in one query.
  const shared = new Map(
    (await store.getResourcesByPaths(shares.map((s) => s.collectionPath))).map((r) => [r.path, r]),
  );
  return shares.flatMap((share) => {
    const r = shared.get(share.collectionPath);
    return r && share.instancePath ? [instanceResource(r, { instancePath: share.instancePath, share })] : [];
  });
}

/** What `resolve` reads: users, stored resources and groups (for /principals/groups/NAME). */
export type ResolveReader = UsersReader & ObjectsReader & Pick<AclReader, 'getGroupByName' | 'getOwnedGroup'>;

/** Resolve a store path to a resource, or null when nothing is mapped there. */
export async function resolve(store: ResolveReader, path: string): Promise<DavResource | null> {
  if (containers.has(path)) return virtual(path);
  const segments = path.split('/');
  if (path.startsWith('/principals/users/') && segments.length === 4) {
    const user = await store.getUserByName(segments[3] ?? '');
    return user ? principalResource(user) : null;
  }
  const role = segments[4] ?? null;
  if (path.startsWith('/principals/users/') && segments.length === 5 && isProxyRole(role)) {
    const owner = await store.getUserByName(segments[3] ?? '');
    return owner ? proxyResource(owner, role, await store.getOwnedGroup(owner.id, role)) : null;
  }
  if (path.startsWith('/principals/groups/') && segments.length === 4) {
    const group = await store.getGroupByName(segments[3] ?? '');
    return group ? groupResource(group) : null;
  }
  const r = await store.getResource(path);
  return r ? storedResource(r) : null;
}

/** The name of the user whose area a path lies in (`/files/alice/x` → alice), if any. */
export function areaOwnerName(path: string): string | null {
  const segments = path.split('/');
  const container = `/${segments[1] ?? ''}`;
  if (segments.length >= 3 && isHomeContainer(container)) return segments[2] ?? null;
  return null;
}

/** The entity tag of a resource: stored objects keep theirs; collections derive it from their sync sequence. */
export function etagOf(r: DavResource): string | null {
  if (!r.stored) return null;
  if (r.stored.isCollection) return `"c${r.stored.id}-${r.stored.syncSeq}"`;
  return r.stored.etag;
}
