import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { activeLockXml } from '../lock-xml.js';

/** RFC 4918 §15.8: the locks that cover the resource. */
export const lockdiscovery: PropertyDef = {
  name: dav('lockdiscovery'),
  allprop: true,
  appliesTo: (r) => r.stored !== null,
  get: async (ctx, r) => (await ctx.store.locksCovering(r.path, ctx.now)).map((l) => activeLockXml(l, ctx.now)),
};
