import { ExpansionLimitError, IcalError } from './errors.js';
import { fastForward } from './fast-forward.js';
import { ICAL, type IcalComponent, type IcalTime, type IcalTimezone } from './ical.js';
import { MAX_INSTANCES_PER_EXPANSION } from './limits.js';
import { toMs } from './time.js';

/** A recurring component with its overridden instances (RFC 5545 §3.8.4.4), sharing one UID. */
export interface RecurrenceSet {
  readonly uid: string;
  readonly master: IcalComponent | null;
  readonly overrides: readonly IcalComponent[];
}

/**
 * One instance of a recurrence set. `start` is the instance's effective DTSTART; `shiftMs` is
 * how far it lies from the DTSTART of `component` (so DTEND and DUE shift by the same amount).
 */
export interface Instance {
  readonly component: IcalComponent;
  /** The RECURRENCE-ID naming this instance; null for a non-recurring component. */
  readonly recurrenceId: IcalTime | null;
  readonly start: IcalTime | null;
  readonly shiftMs: number;
  /** Produced by expanding the master's rule (not an override's own instance). */
  readonly expanded?: boolean;
  /** The end of an RDATE;VALUE=PERIOD instance (RFC 5545 §3.8.5.2), which sets its own duration. */
  readonly end?: IcalTime;
  /** `start` as an instant, when it is known already (read from stored intervals: expand.ts). */
  readonly startMs?: number;
}

/**
 * RecurExpansion does not order PERIOD values; give it a copy whose RDATE periods are their
 * start times, and keep each period's end by start instant.
 */
function withoutPeriods(master: IcalComponent): { component: IcalComponent; ends: Map<number, IcalTime> } {
  const ends = new Map<number, IcalTime>();
  const periods = master.getAllProperties('rdate').some((p) => p.getValues().some((v) => v instanceof ICAL.Period));
  if (!periods) return { component: master, ends };
  const copy = new ICAL.Component(JSON.parse(JSON.stringify(master.toJSON())) as never);
  for (const p of [...copy.getAllProperties('rdate')]) {
    const values = p.getValues() as unknown[];
    if (!values.some((v) => v instanceof ICAL.Period)) continue;
    const starts = values.map((v) => {
      if (!(v instanceof ICAL.Period)) return v as IcalTime;
      ends.set(recurrenceKey(v.start), v.getEnd());
      return v.start;
    });
    const tzid = p.getParameter('tzid');
    copy.removeProperty(p);
    const np = new ICAL.Property('rdate', copy);
    if (typeof tzid === 'string') np.setParameter('tzid', tzid);
    np.resetType('date-time');
    np.setValues(starts as never[]);
    copy.addProperty(np);
  }
  return { component: copy, ends };
}

export function timeProp(c: IcalComponent, name: string): IcalTime | null {
  const v = c.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? v : null;
}

export function isRecurringComponent(c: IcalComponent): boolean {
  return c.hasProperty('rrule') || c.hasProperty('rdate');
}

/** Group the components named `name` (lower case) of a parent by UID into recurrence sets. */
export function recurrenceSets(parent: IcalComponent, name: string): RecurrenceSet[] {
  const byUid = new Map<string, { master: IcalComponent | null; overrides: IcalComponent[] }>();
  for (const c of parent.getAllSubcomponents(name)) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    let set = byUid.get(uid);
    if (!set) byUid.set(uid, (set = { master: null, overrides: [] }));
    if (c.hasProperty('recurrence-id')) set.overrides.push(c);
    else set.master = c;
  }
  return [...byUid.entries()].map(([uid, s]) => ({ uid, master: s.master, overrides: s.overrides }));
}

/** The key that pairs a master occurrence with the override whose RECURRENCE-ID names it. */
export function recurrenceKey(t: IcalTime): number {
  return toMs(t, null);
}

export interface InstanceOptions {
  readonly floating?: IcalTimezone | null;
  /** Stop once instance starts pass this instant (ms); null = iterate the whole set. */
  readonly until?: number | null;
  /**
   * Instances of the master's rule that end before this instant (ms) may be left out, so that a
   * long series is walked from near it rather than from DTSTART (fast-forward.ts). Overrides are
   * always given. null = every instance.
   */
  readonly from?: number | null;
}

/**
 * Every instance of a set: overrides first, then the master's expansion (RRULE, RDATE, EXDATE via
 * ical.js) without the overridden occurrences, in start order, up to `until`.
 */
export function* instancesOf(set: RecurrenceSet, options: InstanceOptions = {}): Generator<Instance> {
  const floating = options.floating ?? null;
  const until = options.until ?? null;
  const overridden = new Set<number>();
  for (const o of set.overrides) {
    const rid = timeProp(o, 'recurrence-id');
    if (rid) overridden.add(recurrenceKey(rid));
    yield { component: o, recurrenceId: rid, start: timeProp(o, 'dtstart'), shiftMs: 0 };
  }
  const master = set.master;
  if (!master) return;
  const dtstart = timeProp(master, 'dtstart');
  if (!dtstart || !isRecurringComponent(master)) {
    yield { component: master, recurrenceId: null, start: dtstart, shiftMs: 0 };
    return;
  }
  const base = toMs(dtstart, floating);
  const futures = thisAndFuture(set.overrides);
  let futureAt = -1; // futures[futureAt] is the latest one before the current instance
  const { component: rules, ends } = withoutPeriods(master);
  // A THISANDFUTURE override moves later instances by its own offset, and an RDATE period sets its
  // own end: both are walked from DTSTART.
  const skip =
    options.from != null && futures.length === 0 && ends.size === 0
      ? fastForward(master, dtstart, options.from, floating)
      : null;
  const expansion = expansionOf(rules, skip?.start ?? dtstart);
  if (!expansion) return;
  const exclusions = exclusionsOf(master);
  // DTSTART is always the first instance (RFC 5545 §3.8.5.3); RecurExpansion leaves it out when
  // there is RDATE but no RRULE, so it is added here unless an EXDATE removes it.
  let dtstartPending = !master.hasProperty('rrule') && !exclusions.excludes(dtstart);
  for (let steps = 0; ; steps++) {
    if (steps > MAX_INSTANCES_PER_EXPANSION) {
      throw new ExpansionLimitError(
        `the recurrence of ${set.uid} has more than ${MAX_INSTANCES_PER_EXPANSION} instances to walk for this request`,
      );
    }
    const next = expansion.next();
    if (next === undefined) return; // ical.js cannot iterate this (stored) rule: see expansionOf
    if (dtstartPending && (!next || recurrenceKey(next) >= recurrenceKey(dtstart))) {
      dtstartPending = false;
      const key = recurrenceKey(dtstart);
      if (!overridden.has(key) && (until === null || base <= until) && (!next || recurrenceKey(next) !== key)) {
        yield { component: master, recurrenceId: dtstart, start: dtstart, shiftMs: 0, expanded: true };
      }
    }
    if (!next) return;
    if (!(next instanceof ICAL.Time)) continue;
    if (exclusions.excludes(next)) continue;
    const key = recurrenceKey(next);
    if (skip && key < skip.exactFrom) continue;
    const at = toMs(next, floating);
    // Instances come in order, so the THISANDFUTURE override in force only moves forward.
    while (futureAt + 1 < futures.length && (futures[futureAt + 1] as FutureOverride).key < key) futureAt += 1;
    const future = futureAt >= 0 ? futures[futureAt] : undefined;
    if (future) {
      // RFC 5545 §3.8.4.4 RANGE=THISANDFUTURE: later instances take the override's data, moved as it was.
      const start = next.clone();
      start.addDuration(future.delta);
      const startMs = toMs(start, floating);
      if (until !== null && Math.min(at, startMs) > until) return;
      if (overridden.has(key)) continue;
      yield {
        component: future.override,
        recurrenceId: next,
        start,
        shiftMs: startMs - future.ownStart(floating),
        expanded: true,
      };
      continue;
    }
    if (until !== null && at > until) return;
    if (overridden.has(key)) continue;
    const end = ends.get(key);
    yield {
      component: master,
      recurrenceId: next,
      start: next,
      shiftMs: at - base,
      expanded: true,
      ...(end ? { end } : {}),
    };
  }
}

/**
 * ical.js's expansion of a master, whose `next()` gives undefined where ical.js throws a plain
 * Error on a rule it cannot iterate (data stored before validation refused it, e.g.
 * FREQ=WEEKLY;BYMONTHDAY=3): such an object has no further instances, as an unparseable one
 * matches nothing. A bound of limits.ts (ExpansionLimitError) still fails the question.
 */
function expansionOf(rules: IcalComponent, dtstart: IcalTime): { next(): IcalTime | null | undefined } | null {
  let expansion: InstanceType<typeof ICAL.RecurExpansion>;
  try {
    expansion = new ICAL.RecurExpansion({ component: rules, dtstart });
  } catch (err) {
    if (err instanceof IcalError) throw err;
    return null;
  }
  // EXDATEs are applied by instancesOf, not here: RecurExpansion gives up ("max tries") after
  // 500 consecutive excluded dates, which a long cancelled stretch of a daily series has.
  (expansion as unknown as { exDate: unknown }).exDate = null;
  return {
    next() {
      try {
        return expansion.next();
      } catch (err) {
        if (err instanceof IcalError) throw err;
        return undefined;
      }
    },
  };
}

interface FutureOverride {
  readonly override: IcalComponent;
  readonly key: number;
  readonly delta: InstanceType<typeof ICAL.Duration>;
  ownStart(floating: IcalTimezone | null): number;
}

/** Overrides with RECURRENCE-ID;RANGE=THISANDFUTURE, in RECURRENCE-ID order. */
function thisAndFuture(overrides: readonly IcalComponent[]): FutureOverride[] {
  const out: FutureOverride[] = [];
  for (const o of overrides) {
    const prop = o.getFirstProperty('recurrence-id');
    const rid = timeProp(o, 'recurrence-id');
    const start = timeProp(o, 'dtstart');
    if (!prop || !rid || !start || String(prop.getParameter('range') ?? '').toUpperCase() !== 'THISANDFUTURE') continue;
    out.push({ override: o, key: recurrenceKey(rid), delta: start.subtractDate(rid), ownStart: (f) => toMs(start, f) });
  }
  return out.sort((a, b) => a.key - b.key);
}

/** Whether an override also stands for the instances after it (RANGE=THISANDFUTURE). */
export function isThisAndFuture(c: IcalComponent): boolean {
  return String(c.getFirstProperty('recurrence-id')?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE';
}

interface Exclusions {
  excludes(t: IcalTime): boolean;
}

const dayKey = (t: IcalTime): number => Date.UTC(t.year, t.month - 1, t.day);

/**
 * What the EXDATEs remove (RFC 5545 §3.8.5.1): an instance at an excluded instant, and, as
 * ical.js reads a DATE EXDATE against DATE-TIME instances, every instance on an excluded date.
 */
function exclusionsOf(master: IcalComponent): Exclusions {
  const instants = new Set<number>();
  const days = new Set<number>();
  for (const p of master.getAllProperties('exdate')) {
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Time)) continue;
      instants.add(recurrenceKey(v));
      if (v.isDate) days.add(dayKey(v));
    }
  }
  return {
    excludes: (t) => instants.has(recurrenceKey(t)) || (days.size > 0 && !t.isDate && days.has(dayKey(t))),
  };
}

/** Whether a set's instances are unbounded (an RRULE without COUNT or UNTIL). */
export function isOpenEnded(set: RecurrenceSet): boolean {
  if (!set.master) return false;
  for (const p of set.master.getAllProperties('rrule')) {
    const r = p.getFirstValue() as InstanceType<typeof ICAL.Recur>;
    if (!r.count && !r.until) return true;
  }
  return false;
}
