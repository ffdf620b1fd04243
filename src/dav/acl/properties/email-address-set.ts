import { el } from '../../../xml/element.js';
import { cs } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * CalendarServer's CS:email-address-set on a user principal: their e-mail address. Apple's
 * clients ask for it beside calendar-user-address-set when they list people (proxies, attendees).
 */
export const emailAddressSet: PropertyDef = {
  name: cs('email-address-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
  get: (_ctx, r) => (r.principal?.email ? [el(cs('email-address'), {}, r.principal.email)] : []),
};
