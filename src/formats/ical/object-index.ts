import { ICAL, type IcalComponent } from './ical.js';
import { instancesOf, isOpenEnded, recurrenceSets, type Instance } from './instances.js';
import { eventSpan } from './time-range.js';
import { toMs } from './time.js';

/** Index columns of a calendar object (the store's prefilter; RFC 4791 §7.8 answers exactly). */
export interface CalendarIndex {
  readonly uid: string;
  readonly component: string;
  /** Earliest instant any instance may occupy; null = unbounded. */
  readonly firstStart: number | null;
  /** Latest instant any instance may occupy; null = open-ended. */
  readonly lastEnd: number | null;
  /** How many instances a bounded object has (Infinity: too many to count); null for an RRULE without end. */
  readonly instances: number | null;
}

/**
 * Slack around indexed instants: floating times and dates are indexed as if UTC, and a query may
 * read them in any zone (UTC−12…UTC+14); inclusive comparisons of RFC 4791 §9.9 need one more ms.
 */
export const INDEX_SLACK_MS = 15 * 3600_000;
/** Most instances walked to find the end of a bounded recurrence; beyond it the end is open. */
const INDEX_STEPS = 20_000;

function span(inst: Instance): [number, number] | null {
  const c = inst.component;
  const ms = (name: string): number | null => {
    const v = c.getFirstPropertyValue(name);
    return v instanceof ICAL.Time ? toMs(v, null) : null;
  };
  switch (c.name) {
    case 'vtodo': {
      const start = inst.start ? toMs(inst.start, null) : null;
      const ownStart = ms('dtstart');
      const due = ms('due');
      const shiftedDue = due === null ? null : due + (start !== null && ownStart !== null ? start - ownStart : 0);
      const ev = eventSpan(inst, null);
      const points = [start, shiftedDue, ev && c.hasProperty('duration') ? ev.end : null].filter((x): x is number => x !== null);
      if (points.length > 0) return [Math.min(...points), Math.max(...points)];
      const completed = ms('completed');
      const created = ms('created');
      if (completed !== null) return [Math.min(completed, created ?? completed), Math.max(completed, created ?? completed)];
      if (created !== null) return [-Infinity, Infinity]; // "end > CREATED": any later range matches
      return null; // no dates: matches every range
    }
    case 'vfreebusy': {
      const s = ms('dtstart');
      const e = ms('dtend');
      if (s !== null && e !== null) return [s, e];
      const pts: number[] = [];
      for (const p of c.getAllProperties('freebusy')) {
        for (const v of p.getValues()) {
          const period = v as InstanceType<typeof ICAL.Period>;
          pts.push(toMs(period.start, null), toMs(period.getEnd(), null));
        }
      }
      return pts.length > 0 ? [Math.min(...pts), Math.max(...pts)] : null;
    }
    case 'vevent':
    case 'vjournal': {
      const e = eventSpan(inst, null);
      return e ? [e.start, Math.max(e.end, e.start + 86_400_000 * (inst.start?.isDate ? 1 : 0))] : null;
    }
    default:
      return null;
  }
}

/** The main component (not VTIMEZONE) of a validated calendar object, with its index columns. */
export function indexCalendarObject(root: IcalComponent, component: string): CalendarIndex {
  const name = component.toLowerCase();
  let first = Infinity;
  let last = -Infinity;
  let unbounded = false;
  let openEnded = false;
  let ruleOpen = false;
  let capped = false;
  let uid = '';
  let count = 0;
  for (const set of recurrenceSets(root, name)) {
    uid = set.uid;
    if (isOpenEnded(set)) openEnded = ruleOpen = true;
    let steps = 0;
    for (const inst of instancesOf(set)) {
      count += 1;
      const s = span(inst);
      if (!s) unbounded = true;
      else {
        first = Math.min(first, s[0]);
        last = Math.max(last, s[1]);
      }
      if (!inst.expanded) continue;
      // An open-ended set is bounded below by its first instance; walking further adds nothing.
      if (openEnded) break;
      if (++steps > INDEX_STEPS) {
        openEnded = capped = true;
        break;
      }
    }
  }
  const instances = ruleOpen ? null : capped ? Infinity : count;
  if (unbounded || first === Infinity) return { uid, component, firstStart: null, lastEnd: null, instances };
  return {
    uid,
    component,
    instances,
    firstStart: Number.isFinite(first) ? first - INDEX_SLACK_MS : null,
    lastEnd: openEnded || !Number.isFinite(last) ? null : last + INDEX_SLACK_MS,
  };
}
