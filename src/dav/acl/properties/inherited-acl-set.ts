import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { inheritedAces } from './acl.js';

/** RFC 3744 §5.7: the collections whose ACEs this resource inherits (those above it that have some). */
export const inheritedAclSet: PropertyDef = {
  name: dav('inherited-acl-set'),
  allprop: false,
  readPrivilege: 'read-acl',
  appliesTo: () => true,
  get: async (ctx, r) =>
    r.kind === 'stored'
      ? (await inheritedAces(ctx.store, r.path)).map((a) => el(dav('href'), {}, hrefOf(a.path, true)))
      : [],
};
