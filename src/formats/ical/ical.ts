/**
 * The one import of ical.js, with its instance types named. Everything iCalendar in Almanac
 * parses, iterates recurrences and serialises through ical.js; nothing here is hand-written
 * RRULE logic.
 */
import ICAL from 'ical.js';
import { guardRecurIterator } from './recurrence-guard.js';
import { installOrdinalByDay } from './ordinal-byday.js';

// Every RRULE iteration (events and VTIMEZONE onsets) is bounded: see recurrence-guard.ts.
guardRecurIterator(ICAL.RecurIterator as never);
// BYDAY tested without a parse and a copy of the time per day walked: see ordinal-byday.ts.
installOrdinalByDay(ICAL.Time, ICAL.RecurIterator);

export { ICAL };
export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalProperty = InstanceType<typeof ICAL.Property>;
export type IcalTime = InstanceType<typeof ICAL.Time>;
export type IcalDuration = InstanceType<typeof ICAL.Duration>;
export type IcalTimezone = InstanceType<typeof ICAL.Timezone>;
export type IcalRecur = InstanceType<typeof ICAL.Recur>;

/** The component types a calendar object resource may hold (RFC 4791 §4.1, RFC 7953). */
export const OBJECT_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'] as const;

/** How many bodies were parsed in this process (the query planner's tests read it). */
export const parseStats = { count: 0 };
