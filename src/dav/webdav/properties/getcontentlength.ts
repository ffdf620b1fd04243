import { dav } from '../../../xml/names.js';
import { textProperty } from '../../core/registry.js';

/** RFC 4918 §15.4. */
export const getcontentlength = textProperty({
  name: dav('getcontentlength'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null && !r.isCollection,
  value: (r) => String(r.stored?.size ?? 0),
});
