import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §2.4.2 (values from RFC 5545 §3.2.3): a user principal is a person, a group principal a GROUP. */
export const calendarUserType: PropertyDef = {
  name: caldav('calendar-user-type'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: (_ctx, r) => [r.principal ? 'INDIVIDUAL' : 'GROUP'],
};
