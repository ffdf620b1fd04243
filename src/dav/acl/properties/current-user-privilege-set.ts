import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { privilegeName } from '../privileges.js';
import type { PropertyDef } from '../../core/registry.js';
import { PRIVILEGE_TREE, privilegeTreeFor, privilegesOf, type Privilege } from '../privileges.js';

type Node = typeof PRIVILEGE_TREE;

function inTreeOrder(node: Node, out: Privilege[] = []): Privilege[] {
  out.push(node.name);
  for (const c of node.children) inTreeOrder(c as Node, out);
  return out;
}

/**
 * RFC 3744 §5.4: "Aggregate privileges and their contained privileges are listed" — clients
 * such as Outlook CalDav Synchronizer look for DAV:write-content, DAV:bind and DAV:unbind by
 * name before they write, so DAV:all alone would make a calendar read-only to them.
 */
export const currentUserPrivilegeSet: PropertyDef = {
  name: dav('current-user-privilege-set'),
  allprop: false,
  readPrivilege: 'read-current-user-privilege-set',
  appliesTo: () => true,
  get: (ctx, r) => {
    const held = privilegesOf(ctx.user, r);
    return inTreeOrder(privilegeTreeFor(r))
      .filter((p) => held.has(p))
      .map((p) => el(dav('privilege'), {}, el(privilegeName(p))));
  },
};
