/**
 * RFC 5545 §3.3.10 restrictions on a parsed RRULE that ical.js accepts but cannot iterate (it
 * throws a plain Error, or loops without producing an instance), checked at write time so that
 * such a rule is refused as CALDAV:valid-calendar-data (RFC 4791 §5.3.2.1) with the reason.
 */
import type { IcalRecur } from './ical.js';

/** Days in each month, February with its leap day (a rule may name any year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const FINE = ['SECONDLY', 'MINUTELY', 'HOURLY'];

function numbers(parts: Record<string, unknown>, key: string): number[] {
  const v = parts[key];
  return Array.isArray(v) ? v.map(Number) : [];
}

/** The reason a rule can never produce an instance or breaks §3.3.10, or null. */
export function recurProblem(r: IcalRecur, where: 'event' | 'observance'): string | null {
  const freq = r.freq as string | null;
  if (!freq) return 'RRULE has no FREQ (RFC 5545 §3.3.10: FREQ is required)';
  if (r.interval < 1) return 'RRULE INTERVAL must be a positive integer (RFC 5545 §3.3.10)';
  if (r.count !== null && r.count !== undefined && r.count < 1)
    return 'RRULE COUNT must be a positive integer (RFC 5545 §3.3.10)';
  const parts = r.parts as Record<string, unknown>;
  const has = (k: string): boolean => Array.isArray(parts[k]) && (parts[k] as unknown[]).length > 0;
  if (has('BYMONTHDAY') && freq === 'WEEKLY')
    return 'RRULE BYMONTHDAY must not be used with FREQ=WEEKLY (RFC 5545 §3.3.10)';
  if (has('BYYEARDAY') && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq)) {
    return `RRULE BYYEARDAY must not be used with FREQ=${freq} (RFC 5545 §3.3.10)`;
  }
  if (has('BYWEEKNO') && freq !== 'YEARLY') return 'RRULE BYWEEKNO is only valid with FREQ=YEARLY (RFC 5545 §3.3.10)';
  const ordinal = (Array.isArray(parts['BYDAY']) ? (parts['BYDAY'] as unknown[]) : []).some((d) =>
    /^[+-]?\d/.test(String(d)),
  );
  if (ordinal && freq !== 'MONTHLY' && freq !== 'YEARLY')
    return `RRULE BYDAY with an ordinal must not be used with FREQ=${freq} (RFC 5545 §3.3.10)`;
  if (ordinal && freq === 'YEARLY' && has('BYWEEKNO'))
    return 'RRULE BYDAY with an ordinal must not be used with FREQ=YEARLY and BYWEEKNO (RFC 5545 §3.3.10)';
  // A day of the month no month in BYMONTH has (BYMONTH=2;BYMONTHDAY=30): no date ever matches.
  const days = numbers(parts, 'BYMONTHDAY');
  if (days.length > 0) {
    const months = has('BYMONTH') ? numbers(parts, 'BYMONTH') : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const longest = Math.max(...months.map((m) => MONTH_DAYS[m - 1] ?? 0));
    if (days.every((d) => Math.abs(d) > longest))
      return `RRULE BYMONTHDAY=${days.join(',')} never falls in BYMONTH=${months.join(',')}`;
  }
  if (where === 'observance' && FINE.includes(freq)) {
    return `a VTIMEZONE observance RRULE must not recur ${freq} (time zone onsets are yearly or monthly)`;
  }
  return null;
}
