import { setProxyMembers } from '../../../domain/acl/proxies.js';
import type { UsersReader } from '../../../store/store.js';
import type { User } from '../../../store/types.js';
import { elements, el, textOf, type XmlElement } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { hrefOf, storePathOfUri } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath, type DavResource } from '../../core/resource.js';

const USER_PRINCIPAL = /^\/principals\/users\/([^/]+)$/;

/**
 * The users a DAV:group-member-set value names, in the order given; a DavError for an href
 * that is no user principal of this server (a proxy group holds users, not groups).
 */
async function membersNamed(store: UsersReader, value: XmlElement): Promise<User[]> {
  const out: User[] = [];
  for (const href of elements(value, dav('href'))) {
    const path = storePathOfUri(textOf(href).trim());
    const name = path === null ? null : (USER_PRINCIPAL.exec(path)?.[1] ?? null);
    const user = name === null ? null : await store.getUserByName(name);
    if (!user) throw DavError.badRequest(`${textOf(href).trim()} is not a user principal of this server`);
    out.push(user);
  }
  return out;
}

function requireProxy(r: DavResource): NonNullable<DavResource['proxy']> {
  if (!r.proxy) throw DavError.condition('cannot-modify-protected-property', 'group members are kept by almanac group');
  return r.proxy;
}

/**
 * RFC 3744 §4.3: a group principal's direct members. Protected on the groups `almanac group`
 * keeps; writable by its owner on a calendar-user proxy group (caldav-proxy §5.2, the way iOS
 * and macOS set delegates: PROPPATCH of the whole list), which `setProxyMembers` applies.
 */
export const groupMemberSet: PropertyDef = {
  name: dav('group-member-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && (r.group !== undefined || r.proxy !== undefined),
  get: async (ctx, r) =>
    r.group
      ? (await ctx.store.groupMembers(r.group.id)).map((u) => el(dav('href'), {}, hrefOf(principalPath(u.name), true)))
      : [],
  async validate(ctx, r, value) {
    requireProxy(r);
    await membersNamed(ctx.store, value);
  },
  async update(_ctx, tx, r, value) {
    const proxy = requireProxy(r);
    await setProxyMembers(tx, proxy.owner, proxy.role, value ? await membersNamed(tx, value) : []);
  },
};
