import { el } from '../../../xml/element.js';
import { cs, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** CS:shared-url (caldav-sharing §5.2.4): on a sharee's instance, the URL of the owner's collection. */
export const sharedUrl: PropertyDef = {
  name: cs('shared-url'),
  allprop: false,
  appliesTo: (r) => r.instance !== undefined,
  get: (_ctx, r) => [el(dav('href'), {}, hrefOf(r.instance!.share.collectionPath, true))],
};
