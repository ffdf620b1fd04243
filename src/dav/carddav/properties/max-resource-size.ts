import { carddav } from '../../../xml/names.js';
import type { DavContext } from '../../core/context.js';
import type { PropertyDef } from '../../core/registry.js';
import { isAddressbook } from './is-addressbook.js';

/**
 * Largest address object accepted, in octets: enough for a card with a large photo, and never
 * more than the server's upload limit (`maxUploadBytes`, which configures it downwards).
 */
export const CARD_SIZE_LIMIT = 10 * 1024 * 1024;

export function maxCardSize(ctx: DavContext): number {
  return Math.min(CARD_SIZE_LIMIT, ctx.settings.maxUploadBytes);
}

/** RFC 6352 §6.2.3: protected. */
export const maxResourceSize: PropertyDef = {
  name: carddav('max-resource-size'),
  allprop: false,
  appliesTo: isAddressbook,
  get: (ctx) => [String(maxCardSize(ctx))],
};
