import { dav } from '../../../xml/names.js';
import { textProperty } from '../../core/registry.js';
import { etagOf } from '../../core/resource.js';

/** RFC 4918 §15.6. */
export const getetag = textProperty({
  name: dav('getetag'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  value: (r) => etagOf(r) ?? undefined,
});
