import { el } from '../../../xml/element.js';
import { cs } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isShareable } from './shared-collection.js';

/**
 * CS:allowed-sharing-modes (caldav-sharing §5.2.3, §5.5.2): the owner's calendars and address
 * books can be shared (CS:can-be-shared); a sharee's instance cannot be shared on, and nothing is
 * published.
 */
export const allowedSharingModes: PropertyDef = {
  name: cs('allowed-sharing-modes'),
  allprop: false,
  appliesTo: isShareable,
  get: (ctx, r) => (r.instance || r.ownerId !== ctx.user.id ? [] : [el(cs('can-be-shared'))]),
};
