/**
 * The recurrence editor's model and its RRULE text (RFC 5545 §3.3.10, §3.8.5.3): daily,
 * weekly on chosen days, monthly by date or by weekday, yearly; until a date or a count.
 * A rule the editor cannot express is kept verbatim (`raw`) unless the user replaces it.
 */
export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export interface RuleForm {
  freq: Freq;
  interval: number;
  /** WEEKLY: the chosen days. */
  byDay: string[];
  /** MONTHLY: on the same date, or on the same weekday (e.g. the 2nd Tuesday, the last Friday). */
  monthly: 'date' | 'weekday';
  end: 'never' | 'until' | 'count';
  /** YYYY-MM-DD, inclusive. */
  until?: string | undefined;
  count?: number | undefined;
  /** A rule the editor cannot show, kept as it was. */
  raw?: string | undefined;
}

const JS_DAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The weekday position of a date in its month: 1..4, or -1 for the last one. */
export function weekdayPosition(year: number, month: number, day: number): { nth: number; day: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const wd = JS_DAY[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
  return { nth: day + 7 > last ? -1 : Math.ceil(day / 7), day: wd };
}

/**
 * RRULE text for a form. `start` gives the weekday for monthly-by-weekday; `untilValue`
 * renders the UNTIL date in the form the DTSTART needs (DATE, or UTC DATE-TIME).
 */
export function ruleToString(
  f: RuleForm,
  start: { year: number; month: number; day: number },
  untilValue: (date: string) => string,
): string {
  if (f.raw) return f.raw;
  const parts = [`FREQ=${f.freq}`];
  if (f.interval > 1) parts.push(`INTERVAL=${f.interval}`);
  if (f.freq === 'WEEKLY' && f.byDay.length > 0)
    parts.push(`BYDAY=${WEEKDAYS.filter((d) => f.byDay.includes(d)).join(',')}`);
  if (f.freq === 'MONTHLY') {
    if (f.monthly === 'weekday') {
      const p = weekdayPosition(start.year, start.month, start.day);
      parts.push(`BYDAY=${p.nth}${p.day}`);
    } else parts.push(`BYMONTHDAY=${start.day}`);
  }
  if (f.end === 'until' && f.until) parts.push(`UNTIL=${untilValue(f.until)}`);
  if (f.end === 'count' && f.count && f.count > 0) parts.push(`COUNT=${Math.floor(f.count)}`);
  return parts.join(';');
}

/** The editor's view of an RRULE; `untilDate` turns its UNTIL into YYYY-MM-DD. */
export function ruleFromString(rule: string, untilDate: (value: string) => string): RuleForm {
  const parts = new Map(
    rule.split(';').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).toUpperCase(), p.slice(i + 1)] as [string, string];
    }),
  );
  const freq = parts.get('FREQ') as Freq;
  const form: RuleForm = {
    freq,
    interval: Number(parts.get('INTERVAL') ?? 1),
    byDay: [],
    monthly: 'date',
    end: 'never',
  };
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'UNTIL', 'COUNT', 'WKST', 'BYMONTH']);
  let simple = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq) && [...parts.keys()].every((k) => known.has(k));
  const byDay = parts.get('BYDAY');
  if (byDay) {
    if (freq === 'WEEKLY') form.byDay = byDay.split(',');
    else if (freq === 'MONTHLY' && /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.test(byDay)) form.monthly = 'weekday';
    else simple = false;
  }
  if (parts.has('BYMONTH') && freq !== 'YEARLY') simple = false;
  if (parts.has('BYMONTHDAY') && (freq !== 'MONTHLY' || parts.get('BYMONTHDAY')!.includes(','))) simple = false;
  if (parts.has('UNTIL')) {
    form.end = 'until';
    form.until = untilDate(parts.get('UNTIL')!);
  } else if (parts.has('COUNT')) {
    form.end = 'count';
    form.count = Number(parts.get('COUNT'));
  }
  if (!simple) form.raw = rule;
  return form;
}

/** A sentence for the rule ("Every 2 weeks on Mon, Wed, until 2026-05-01"). */
export function describeRule(f: RuleForm): string {
  if (f.raw) return `Custom rule: ${f.raw}`;
  const unit = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' }[f.freq];
  let s = f.interval > 1 ? `Every ${f.interval} ${unit}s` : `Every ${unit}`;
  if (f.freq === 'WEEKLY' && f.byDay.length) s += ` on ${f.byDay.map((d) => d[0] + d[1]!.toLowerCase()).join(', ')}`;
  if (f.freq === 'MONTHLY') s += f.monthly === 'weekday' ? ' on the same weekday' : ' on the same date';
  if (f.end === 'until' && f.until) s += `, until ${f.until}`;
  if (f.end === 'count' && f.count) s += `, ${f.count} times`;
  return s;
}
