import { carddav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * RFC 6352 §7.1.2: the address object resource describing the principal. Almanac users have
 * none, so the value is empty (the RFC allows it when no such resource exists).
 */
export const principalAddress: PropertyDef = {
  name: carddav('principal-address'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
  get: () => [],
};
