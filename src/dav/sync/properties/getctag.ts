import { cs } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { syncToken } from '../token.js';

/** CalendarServer getctag (caldav-ctag.txt §4.1): changes whenever a member changes. */
export const getctag: PropertyDef = {
  name: cs('getctag'),
  allprop: false,
  cacheable: true,
  appliesTo: (r) => r.stored?.isCollection === true,
  get: (_ctx, r) => (r.stored ? [syncToken(r.stored.id, r.stored.syncSeq)] : undefined),
};
