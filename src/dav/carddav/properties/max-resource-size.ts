import { cardSizeLimit } from '../../../domain/contacts/object.js';
import { carddav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import type { PropertyDef } from '../../core/registry.js';
import { isAddressbook } from '../addressbook-collection.js';

/** The largest card accepted (domain/contacts: 10 MiB, never more than `maxUploadBytes`). */
function maxCardSize(ctx: DavContext): number {
  return cardSizeLimit(ctx.settings.maxUploadBytes);
}

/** RFC 6352 §6.2.3: protected. */
export const maxResourceSize: PropertyDef = {
  name: carddav('max-resource-size'),
  allprop: false,
  appliesTo: isAddressbook,
  get: (ctx) => [String(maxCardSize(ctx))],
};
