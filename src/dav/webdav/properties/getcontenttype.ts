import { escapeText } from '../../../xml/write.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 4918 §15.5. */
export const getcontenttype: PropertyDef = {
  name: dav('getcontenttype'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null && !r.isCollection,
  get: (_ctx, r) => (r.stored?.contentType ? [r.stored.contentType] : undefined),
  text: (r) => (r.stored?.contentType ? escapeText(r.stored.contentType) : undefined),
};
