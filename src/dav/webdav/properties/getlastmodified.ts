import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 4918 §15.7 (an HTTP-date). */
export const getlastmodified: PropertyDef = {
  name: dav('getlastmodified'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  get: (_ctx, r) => [new Date(r.stored?.modifiedAt ?? 0).toUTCString()],
};
