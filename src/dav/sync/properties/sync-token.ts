import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { syncToken as token } from '../token.js';

/** RFC 6578 §4. */
export const syncTokenProperty: PropertyDef = {
  name: dav('sync-token'),
  allprop: false,
  cacheable: true,
  appliesTo: (r) => r.stored?.isCollection === true,
  get: (_ctx, r) => (r.stored ? [token(r.stored.id, r.stored.syncSeq)] : undefined),
};
