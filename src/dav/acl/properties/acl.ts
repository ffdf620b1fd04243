import { el, type XmlElement } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { StoredAce } from '../../../store/capabilities/acl.js';
import type { AclReader, UsersReader } from '../../../store/store.js';
import { privilegeName, type Privilege } from '../privileges.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { areaOwnerName, principalPath, type DavResource } from '../../core/resource.js';
import { principalXml } from '../acl-principals.js';
import { isProxyAce } from '../../../domain/acl/proxies.js';

const grant = (principal: XmlElement, privileges: readonly string[], ...markers: XmlElement[]) =>
  el(
    dav('ace'),
    {},
    el(dav('principal'), {}, principal),
    el(dav('grant'), {}, ...privileges.map((p) => el(dav('privilege'), {}, el(privilegeName(p as Privilege))))),
    ...markers,
  );

/** The collections above `path` in its user's area, nearest first (`/calendars/alice/work/e.ics` → work, alice). */
function ancestorsInArea(path: string): string[] {
  const out: string[] = [];
  if (areaOwnerName(path) === null) return out;
  const segments = path.split('/');
  for (let n = segments.length - 1; n >= 3; n--) out.push(segments.slice(0, n).join('/'));
  return out;
}

/** The ancestors whose ACEs `path` inherits (RFC 3744 §5.7), nearest first, with their ACEs. */
export async function inheritedAces(store: AclReader, path: string): Promise<{ path: string; aces: StoredAce[] }[]> {
  const out: { path: string; aces: StoredAce[] }[] = [];
  for (const a of ancestorsInArea(path)) {
    const aces = await store.getAces(a);
    if (aces.length > 0) out.push({ path: a, aces });
  }
  return out;
}

/**
 * The server's own grants on a scheduling inbox or outbox (RFC 6638 §6, privileges.ts
 * `addSchedulingDefaults`): every authenticated user delivers to an inbox and queries its
 * owner's free-busy; the owner's write proxies send from the outbox.
 */
function schedulingAces(r: DavResource, ownerName: string): XmlElement[] {
  const type = r.stored?.isCollection ? r.stored.collectionType : '';
  if (type === 'schedule-inbox') return [grant(el(dav('authenticated')), ['schedule-deliver'], el(dav('protected')))];
  if (type !== 'schedule-outbox') return [];
  const proxies = hrefOf(`${principalPath(ownerName)}/calendar-proxy-write`, true);
  return [grant(el(dav('href'), {}, proxies), ['schedule-send'], el(dav('protected')))];
}

async function storedAcl(store: UsersReader & AclReader, r: DavResource, ownerName: string): Promise<XmlElement[]> {
  const out = [
    grant(el(dav('href'), {}, hrefOf(principalPath(ownerName), true)), ['all'], el(dav('protected'))),
    ...schedulingAces(r, ownerName),
  ];
  for (const ace of await store.getAces(r.path)) {
    const who = await principalXml(store, ace.principal);
    // The grant to the owner's proxy groups is the server's (caldav-proxy §5.4): protected.
    const marker = (await isProxyAce(store, ace, r.ownerId)) ? [el(dav('protected'))] : [];
    if (who) out.push(grant(who, ace.privileges, ...marker));
  }
  for (const { path, aces } of await inheritedAces(store, r.path)) {
    for (const ace of aces) {
      const who = await principalXml(store, ace.principal);
      if (who) out.push(grant(who, ace.privileges, el(dav('inherited'), {}, el(dav('href'), {}, hrefOf(path, true)))));
    }
  }
  return out;
}

/**
 * RFC 3744 §5.5: the access control list — the owner's protected ACE granting DAV:all, the
 * ACEs set on the resource with the ACL method (and, on a calendar home, the protected grants to
 * the owner's proxy groups), then those inherited from the collections
 * above it, each marked DAV:inherited with the collection it comes from (§5.5.2).
 */
export const acl: PropertyDef = {
  name: dav('acl'),
  allprop: false,
  readPrivilege: 'read-acl',
  appliesTo: () => true,
  get: async (ctx, r) => {
    if (r.kind !== 'stored') {
      return [grant(el(dav('authenticated')), ['read', 'read-current-user-privilege-set'], el(dav('protected')))];
    }
    const u = r.ownerId === null ? null : await ctx.store.getUserById(r.ownerId);
    return u ? storedAcl(ctx.store, r, u.name) : [];
  },
};
