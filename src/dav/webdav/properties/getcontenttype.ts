import { dav } from '../../../xml/names.js';
import { textProperty } from '../../core/registry.js';

/** RFC 4918 §15.5. */
export const getcontenttype = textProperty({
  name: dav('getcontenttype'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null && !r.isCollection,
  value: (r) => r.stored?.contentType || undefined,
});
