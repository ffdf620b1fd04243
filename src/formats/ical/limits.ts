/**
 * The bounds on iCalendar work (issue "no single request can crash, hang or take over the
 * server"). Every number here is a limit one object or one question can reach; beyond it the
 * object is refused at PUT (CALDAV:valid-calendar-data with the reason, RFC 4791 §5.3.2.1) or
 * the one request that asked fails with a DAV error (see ExpansionLimitError), never a hang.
 */

/** Most nested BEGIN levels (VCALENDAR > VEVENT > VALARM is 3; VAVAILABILITY > AVAILABLE > VALARM is 4). */
export const MAX_COMPONENT_DEPTH = 8;
/** Most components in one object (a master, its overrides, their alarms, the VTIMEZONEs). */
export const MAX_COMPONENTS_PER_OBJECT = 5_000;
/** Most overrides (components with RECURRENCE-ID) of one object. */
export const MAX_OVERRIDES_PER_OBJECT = 1_000;
/** Most content lines (properties) in one object. */
export const MAX_PROPERTIES_PER_OBJECT = 50_000;
/** Most parameters on one property (real data has a handful). */
export const MAX_PARAMETERS_PER_PROPERTY = 100;
/** Most RDATE plus EXDATE values of one component. */
export const MAX_RECURRENCE_DATES = 10_000;

/**
 * ical.js's RecurIterator steps day by day (hour by hour, …) and tests the BYxxx rules on each
 * step; a rule no date satisfies steps for ever without producing an instance. Most steps one
 * iterator may take between two instances: enough for FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29
 * (35,064 steps over a leap cycle).
 */
export const MAX_STEPS_PER_INSTANCE = 50_000;
/**
 * Most steps one rule iterator may take in all (one RRULE expanded for one question, or one
 * VTIMEZONE observance expanded for a zone): an hourly series walked over 20 years.
 */
export const MAX_STEPS_PER_RULE = 200_000;
/** Most wall time one rule iterator may spend looking for its next instance (checked every 1,024 steps). */
export const MAX_RULE_MS = 1_000;
/** Most instances one recurrence set yields for one question (one object, one request). */
export const MAX_INSTANCES_PER_EXPANSION = 100_000;
/** Most instances CALDAV:expand writes for one object (RFC 4791 §9.6.5). */
export const MAX_EXPANDED_INSTANCES = 5_000;
