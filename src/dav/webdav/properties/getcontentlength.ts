import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 4918 §15.4. */
export const getcontentlength: PropertyDef = {
  name: dav('getcontentlength'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null && !r.isCollection,
  get: (_ctx, r) => [String(r.stored?.size ?? 0)],
  text: (r) => String(r.stored?.size ?? 0),
};
