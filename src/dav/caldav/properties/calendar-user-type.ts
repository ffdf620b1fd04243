import { caldav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6638 §2.4.2: every principal is a person. */
export const calendarUserType: PropertyDef = {
  name: caldav('calendar-user-type'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: () => ['INDIVIDUAL'],
};
