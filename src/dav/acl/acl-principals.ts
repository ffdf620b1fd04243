import type { AcePrincipal } from '../../store/capabilities/acl.js';
import type { AclReader, UsersReader } from '../../store/store.js';
import { el, type XmlElement } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { hrefOf } from '../core/paths.js';
import { isProxyRole } from '../../domain/acl/proxies.js';
import { groupPath, principalPath } from '../core/resource.js';

/** The user or group a principal path names, or null when it names none (RFC 3744 §8.1.1 recognized-principal). */
export async function principalAt(store: UsersReader & AclReader, path: string): Promise<AcePrincipal | null> {
  // A proxy group (caldav-proxy §5.2) is a principal once its owner has given it members.
  const proxy = /^\/principals\/users\/([^/]+)\/([^/]+)$/.exec(path);
  if (proxy && isProxyRole(proxy[2] ?? null)) {
    const owner = await store.getUserByName(proxy[1] ?? '');
    const g = owner ? await store.getOwnedGroup(owner.id, proxy[2] ?? '') : null;
    return g ? { kind: 'group', id: g.id } : null;
  }
  const m = /^\/principals\/(users|groups)\/([^/]+)$/.exec(path);
  if (!m) return null;
  if (m[1] === 'users') {
    const u = await store.getUserByName(m[2] ?? '');
    return u ? { kind: 'user', id: u.id } : null;
  }
  const g = await store.getGroupByName(m[2] ?? '');
  return g ? { kind: 'group', id: g.id } : null;
}

/** The DAV:principal content of a stored ACE's principal (RFC 3744 §5.5.1). */
export async function principalXml(store: UsersReader & AclReader, p: AcePrincipal): Promise<XmlElement | null> {
  if (p.kind === 'all' || p.kind === 'authenticated') return el(dav(p.kind));
  if (p.kind === 'user') {
    const u = await store.getUserById(p.id);
    return u ? el(dav('href'), {}, hrefOf(principalPath(u.name), true)) : null;
  }
  const g = await store.getGroupById(p.id);
  return g ? el(dav('href'), {}, hrefOf(groupPath(g), true)) : null;
}
