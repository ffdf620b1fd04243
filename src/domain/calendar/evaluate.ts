import { alarmLead, alarmTriggers } from '../../formats/ical/alarms.js';
import { ICAL, type IcalComponent, type IcalProperty, type IcalTimezone } from '../../formats/ical/ical.js';
import { instancesOf, isThisAndFuture, type Instance } from '../../formats/ical/instances.js';
import { freebusyOverlaps, instanceOverlaps, valueOverlaps, type TimeRange } from '../../formats/ical/time-range.js';
import { runNow, type Work } from '../../formats/ical/work.js';
import { textMatches } from './collation.js';
import { ExpansionScope } from './shared-expansion.js';
import type { CompFilter, ParamFilter, PropFilter } from './filter.js';

/** What evaluation needs beyond the object: the zone floating times are read in (§9.9). */
export interface EvalContext {
  readonly floating: IcalTimezone | null;
}

const RECURRING = new Set(['vevent', 'vtodo', 'vjournal', 'vavailability', 'available']);

/** Per evaluation (one object, one filter): the recurrence sets and walks its components share. */
const scopes = new WeakMap<EvalContext, ExpansionScope>();

function scopeOf(ctx: EvalContext): ExpansionScope {
  let scope = scopes.get(ctx);
  if (!scope) scopes.set(ctx, (scope = new ExpansionScope(ctx.floating)));
  return scope;
}

/**
 * The instances a component accounts for: a master its non-overridden ones, an override itself;
 * `null` marks a place to pause (an instance walked for another component of the set).
 */
function instancesFor(
  c: IcalComponent,
  until: number | null,
  ctx: EvalContext,
  from: number | null = null,
): Iterable<Instance | null> {
  const parent = c.parent;
  if (!parent || !RECURRING.has(c.name)) return [];
  const uid = c.getFirstPropertyValue('uid');
  const scope = scopeOf(ctx);
  const set = scope.setsOf(parent, c.name).find((s) => s.uid === String(uid ?? ''));
  if (!set) return [];
  if (c.hasProperty('recurrence-id') && !isThisAndFuture(c)) {
    return instancesOf({ uid: set.uid, master: null, overrides: [c] }, { floating: ctx.floating, until });
  }
  return scope.instancesOf(set, c, until, from);
}

function* alarmOverlaps(alarm: IcalComponent, r: TimeRange, ctx: EvalContext): Work<boolean> {
  const owner = alarm.parent;
  if (!owner) return false;
  const until = r.end === null ? null : r.end + alarmLead(alarm);
  const lo = r.start ?? -Infinity;
  const hi = r.end ?? Infinity;
  for (const inst of instancesFor(owner, until, ctx)) {
    if (inst && alarmTriggers(alarm, inst, ctx.floating).some((t) => lo <= t && hi > t)) return true;
    yield;
  }
  return false;
}

/** §9.9 for one component, over every instance it accounts for (pausing after each). */
function* componentOverlaps(c: IcalComponent, r: TimeRange, ctx: EvalContext): Work<boolean> {
  if (c.name === 'vfreebusy') return freebusyOverlaps(c, r, ctx.floating);
  if (c.name === 'valarm') return yield* alarmOverlaps(c, r, ctx);
  // Only instances that overlap the range count: a long series is walked from near its start.
  for (const inst of instancesFor(c, r.end, ctx, r.start)) {
    if (inst && instanceOverlaps(inst, r, ctx.floating)) return true;
    yield;
  }
  return false;
}

function paramMatches(p: IcalProperty, f: ParamFilter): boolean {
  const v = p.getParameter(f.name.toLowerCase()) as unknown;
  const defined = v !== undefined && v !== null;
  if (f.isNotDefined) return !defined;
  if (!defined) return false;
  if (!f.textMatch) return true;
  return textMatches((Array.isArray(v) ? v : [v]).map(String), f.textMatch);
}

/** Property values as text: text unescaped, other types in their iCalendar form (20060104T100000, P1D…). */
function textValues(p: IcalProperty): string[] {
  const values = p
    .getValues()
    .map((v: unknown) =>
      typeof v === 'object' && v !== null && 'toICALString' in v
        ? (v as { toICALString(): string }).toICALString()
        : String(v),
    );
  return values.length > 1 ? [...values, values.join(',')] : values;
}

/** The effective DTEND / DUE when only DURATION is given (§9.9, last note). */
function effectiveEnd(c: IcalComponent, name: string): unknown {
  if (name !== 'dtend' && name !== 'due') return null;
  const start = c.getFirstPropertyValue('dtstart');
  const d = c.getFirstPropertyValue('duration');
  if (!(start instanceof ICAL.Time) || !(d instanceof ICAL.Duration)) return null;
  const t = start.clone();
  t.addDuration(d);
  return t;
}

/** §9.7.2: a prop-filter matches when some instance of the property meets every condition. */
function propMatches(c: IcalComponent, f: PropFilter, ctx: EvalContext): boolean {
  const name = f.name.toLowerCase();
  const props = c.getAllProperties(name);
  if (f.isNotDefined) return props.length === 0;
  if (props.length === 0) {
    const eff = f.timeRange && !f.textMatch && f.paramFilters.length === 0 ? effectiveEnd(c, name) : null;
    return eff !== null && valueOverlaps(eff, f.timeRange as TimeRange, ctx.floating);
  }
  return props.some(
    (p) =>
      (!f.timeRange || p.getValues().some((v) => valueOverlaps(v, f.timeRange as TimeRange, ctx.floating))) &&
      (!f.textMatch || textMatches(textValues(p), f.textMatch)) &&
      f.paramFilters.every((pf) => paramMatches(p, pf)),
  );
}

/** §9.7.1: a comp-filter against the components of its name in `scope`. */
function* compMatches(scope: IcalComponent, f: CompFilter, ctx: EvalContext): Work<boolean> {
  const comps = scope.getAllSubcomponents(f.name.toLowerCase());
  if (f.isNotDefined) return comps.length === 0;
  for (const c of comps) if (yield* componentMatches(c, f, ctx)) return true;
  return false;
}

function* componentMatches(c: IcalComponent, f: CompFilter, ctx: EvalContext): Work<boolean> {
  if (f.timeRange && !(yield* componentOverlaps(c, f.timeRange, ctx))) return false;
  if (!f.propFilters.every((pf) => propMatches(c, pf, ctx))) return false;
  for (const cf of f.compFilters) if (!(yield* compMatches(c, cf, ctx))) return false;
  return true;
}

/** RFC 4791 §9.7: whether a calendar object (its VCALENDAR) matches the filter. */
export function matchesFilter(root: IcalComponent, filter: CompFilter, ctx: EvalContext): boolean {
  return runNow(matchesFilterWork(root, filter, ctx));
}

/** `matchesFilter` as Work (formats/ical/work.ts): it pauses after every instance it tests. */
export function* matchesFilterWork(root: IcalComponent, filter: CompFilter, context: EvalContext): Work<boolean> {
  if (filter.name.toLowerCase() !== root.name) return filter.isNotDefined;
  if (filter.isNotDefined) return false;
  // A context of its own, so that the shared walks (scopeOf) live for this evaluation only.
  return yield* componentMatches(root, filter, { floating: context.floating });
}
