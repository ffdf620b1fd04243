import { escapeText } from '../../../xml/write.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { etagOf } from '../../core/resource.js';

/** RFC 4918 §15.6. */
export const getetag: PropertyDef = {
  name: dav('getetag'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  get: (_ctx, r) => {
    const e = etagOf(r);
    return e === null ? undefined : [e];
  },
  text: (r) => {
    const e = etagOf(r);
    return e === null ? undefined : escapeText(e);
  },
};
