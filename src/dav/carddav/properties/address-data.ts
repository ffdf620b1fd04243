import { carddav } from '../../../xml/names.js';
import { representCard, VCARD3 } from '../../../formats/vcard/represent.js';
import type { PropertyDef } from '../../core/registry.js';
import { isCardPath } from '../addressbook-collection.js';

/**
 * RFC 6352 §10.4 address-data, whole and as vCard 3.0 (the element's default version), for
 * reports that take a plain DAV:prop list (sync-collection, RFC 6578 §3.2). The CardDAV
 * reports handle the element themselves, with partial retrieval and version choice.
 */
export const addressData: PropertyDef = {
  name: carddav('address-data'),
  allprop: false,
  cacheable: true,
  appliesTo: isCardPath,
  get: async (ctx, r) => {
    if (!r.stored) return undefined;
    const text = new TextDecoder().decode(await ctx.store.readBody(r.stored.id));
    try {
      return [representCard(text, r.stored.contentType, VCARD3)];
    } catch {
      return undefined;
    }
  },
};
