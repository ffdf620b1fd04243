import { httpDate } from '../../../formats/http-date.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import type { DavResource } from '../../core/resource.js';

const lastModified = (r: DavResource): string => httpDate(r.stored?.modifiedAt ?? 0);

/** RFC 4918 §15.7 (an HTTP-date). */
export const getlastmodified: PropertyDef = {
  name: dav('getlastmodified'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  get: (_ctx, r) => [lastModified(r)],
  text: lastModified, // an HTTP-date has nothing to escape
};
