import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import type { DavResource } from '../../core/resource.js';

const rfc3339 = (r: DavResource): string => new Date(r.stored?.createdAt ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** RFC 4918 §15.1 (RFC 3339 date-time). */
export const creationdate: PropertyDef = {
  name: dav('creationdate'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  get: (_ctx, r) => [rfc3339(r)],
  text: rfc3339, // digits, '-', ':', 'T' and 'Z' only
};
