import { ICAL, type IcalComponent, type IcalProperty, type IcalTime, type IcalTimezone } from './ical.js';
import {
  instancesOf,
  isRecurringComponent,
  isThisAndFuture,
  recurrenceKey,
  recurrenceSets,
  timeProp,
  type Instance,
  type RecurrenceSet,
} from './instances.js';
import { eventSpan, freebusyOverlaps, instanceOverlaps, type TimeRange } from './time-range.js';
import { ExpansionLimitError } from './errors.js';
import { MAX_EXPANDED_INSTANCES } from './limits.js';
import { overlappingTriples } from './interval-index.js';
import {
  instanceText,
  isInstant,
  isRuleTemplate,
  ruleInstanceText,
  ruleTemplateOf,
  type RuleTemplate,
} from './instance-text.js';
import { contentLines } from './content-lines.js';
import { toMs, utcTime } from './time.js';
import type { Work } from './work.js';

const RECURRENCE_PROPS = ['rrule', 'rdate', 'exdate', 'exrule'];
const INSTANCE_COMPONENTS = ['vevent', 'vtodo', 'vjournal'];

function clone(c: IcalComponent): IcalComponent {
  return new ICAL.Component(JSON.parse(JSON.stringify(c.toJSON())) as never);
}

/** Set a date or date-time property; date-times are written in UTC (RFC 4791 §9.6.5). */
function setTime(c: IcalComponent, name: string, value: IcalTime, floating: IcalTimezone | null): void {
  const prop: IcalProperty = c.getFirstProperty(name) ?? c.addProperty(new ICAL.Property(name));
  prop.removeParameter('tzid');
  prop.resetType(value.isDate ? 'date' : 'date-time');
  prop.setValue(value.isDate ? value : utcTime(toMs(value, floating)));
}

/** One instance as a stand-alone component: DTSTART/DTEND/DUE moved, RECURRENCE-ID named. */
function instanceComponent(inst: Instance, floating: IcalTimezone | null): IcalComponent {
  const c = clone(inst.component);
  for (const p of RECURRENCE_PROPS) c.removeAllProperties(p);
  const own = timeProp(inst.component, 'dtstart');
  const start = inst.start;
  if (start) setTime(c, 'dtstart', start, floating);
  for (const name of ['dtend', 'due']) {
    const v = timeProp(inst.component, name);
    if (!v) continue;
    if (own && start && inst.shiftMs !== 0) {
      const moved = start.clone();
      moved.addDuration(v.subtractDate(own));
      if (v.isDate) setTime(c, name, moved, floating);
      else setTime(c, name, utcTime(toMs(v, floating) + (toMs(start, floating) - toMs(own, floating))), floating);
    } else setTime(c, name, v, floating);
  }
  if (inst.recurrenceId) {
    setTime(c, 'recurrence-id', inst.recurrenceId, floating);
    c.getFirstProperty('recurrence-id')?.removeParameter('range'); // each instance stands alone
  }
  return c;
}

/**
 * An object's precomputed VEVENT instance intervals (object-index.ts `intervals`: the
 * (start, end, positive) triple of every instance in `instancesOf` order), valid for ranges
 * ending at or before `until` (null: every range). Only kept for objects whose times are all
 * absolute, so no floating zone changes them.
 */
export interface StoredInstances {
  readonly intervals: Float64Array;
  readonly until: number | null;
  /** The object's SeriesText as JSON, when it was stored with them (`seriesTextJson`). */
  readonly seriesText?: string | null;
}

/**
 * The instances of a recurring VEVENT set that overlap `range`, read from its stored intervals
 * instead of walking the rule with ical.js (the main cost of an expand), or null when they cannot
 * be told apart that way (`intervalHits`).
 */
function instancesFromIntervals(set: RecurrenceSet, stored: StoredInstances, range: TimeRange): Instance[] | null {
  const known = seriesOf(set);
  const hits = known && intervalHits(known, stored, range, set.uid);
  if (!known || !hits) return null;
  return hits.map(({ start, override }) => {
    if (override >= 0) return (known.overrides[override] as SeriesOverride).inst;
    const at = utcTime(start);
    return {
      component: known.master,
      recurrenceId: at,
      start: at,
      shiftMs: start - known.base,
      expanded: true,
      startMs: start,
    };
  });
}

/** A stored triple that overlaps a range: its start, and the override whose span it is (its index) or -1 for an occurrence of the master's rule. */
interface IntervalHit {
  readonly start: number;
  readonly override: number;
}

/**
 * The stored triples of a series that overlap `range`, in their stored order. A triple is an
 * override's when it has that override's own span; otherwise it is an occurrence of the master's
 * rule, whose RECURRENCE-ID is its start (RFC 5545 §3.8.4.4: the original start) and which is
 * moved by its distance from DTSTART. Null — left to the walk — for a range past `until`, and
 * for a triple that would name an overridden occurrence. More than MAX_EXPANDED_INSTANCES is
 * refused, as the walk refuses it.
 */
function intervalHits(
  known: {
    readonly overrides: readonly { readonly start: number; readonly end: number }[];
    readonly overridden: ReadonlySet<number>;
  },
  stored: StoredInstances,
  range: TimeRange,
  uid: string,
): IntervalHit[] | null {
  if (range.end === null || (stored.until !== null && range.end > stored.until)) return null;
  const { overrides, overridden } = known;
  const used = new Set<number>();
  const out: IntervalHit[] = [];
  const t = stored.intervals;
  for (const k of overlappingTriples(t, range)) {
    const start = t[k] as number;
    const end = t[k + 1] as number;
    const own = overrides.findIndex((o, i) => !used.has(i) && o.start === start && o.end === end);
    if (own >= 0) used.add(own);
    else if (overridden.has(start)) return null;
    out.push({ start, override: own });
  }
  if (out.length > MAX_EXPANDED_INSTANCES) {
    throw new ExpansionLimitError(
      `CALDAV:expand would write more than ${MAX_EXPANDED_INSTANCES} instances of ${uid}; ask for a shorter range`,
    );
  }
  return out;
}

/** An override as `instancesFromIntervals` matches it: its instance and its own span. */
interface SeriesOverride {
  readonly inst: Instance;
  readonly start: number;
  readonly end: number;
}

/** What `instancesFromIntervals` reads of a series besides its intervals, or null when they cannot tell its instances apart. */
interface Series {
  readonly master: IcalComponent;
  /** DTSTART as an instant. */
  readonly base: number;
  readonly overrides: readonly SeriesOverride[];
  /** The RECURRENCE-IDs of the overrides, as instants. */
  readonly overridden: ReadonlySet<number>;
}

/**
 * A series made ready for `instancesFromIntervals`, once per master component while its parsed
 * object lives (the object cache shares it and nobody modifies it): every request of a window
 * worked out its overrides' spans again (issue #20: a series with dozens of overrides). Left to
 * the walk (null): THISANDFUTURE overrides and RDATE periods, which change later instances' data
 * or length, and an override without a RECURRENCE-ID or span. Held weakly by the master.
 */
const seriesMemo = new WeakMap<IcalComponent, Series | null>();

function seriesOf(set: RecurrenceSet): Series | null {
  const master = set.master;
  if (!master) return null;
  // The master's overrides are the other components of its UID in the same parsed object.
  let known = seriesMemo.get(master);
  if (known === undefined) seriesMemo.set(master, (known = readSeries(master, set.overrides)));
  return known;
}

function readSeries(master: IcalComponent, overrideComponents: readonly IcalComponent[]): Series | null {
  if (!isRecurringComponent(master)) return null;
  if (overrideComponents.some(isThisAndFuture)) return null;
  if (master.getAllProperties('rdate').some((p) => p.getValues().some((v) => v instanceof ICAL.Period))) return null;
  const dtstart = timeProp(master, 'dtstart');
  if (!dtstart) return null;
  const overridden = new Set<number>();
  const overrides: SeriesOverride[] = [];
  for (const o of overrideComponents) {
    const rid = timeProp(o, 'recurrence-id');
    const inst: Instance = { component: o, recurrenceId: rid, start: timeProp(o, 'dtstart'), shiftMs: 0 };
    const span = eventSpan(inst, null);
    if (!rid || !span) return null;
    overridden.add(recurrenceKey(rid));
    overrides.push({ inst, start: span.start, end: span.end });
  }
  return { master, base: toMs(dtstart, null), overrides, overridden };
}

/**
 * The one instance of a VCALENDAR whose only instance component (VEVENT, VTODO, VJOURNAL) does
 * not recur — no RRULE, RDATE nor RECURRENCE-ID — as `instancesOf` gives it; null for any other.
 * Its CALDAV:expand is the same text for every range it overlaps (the range only decides whether
 * the instance is kept), so the object cache keeps one expansion for all of them.
 */
export function loneInstance(root: IcalComponent): Instance | null {
  let lone: IcalComponent | null = null;
  for (const sub of root.getAllSubcomponents()) {
    if (!INSTANCE_COMPONENTS.includes(sub.name)) continue;
    if (lone || isRecurringComponent(sub) || sub.hasProperty('recurrence-id')) return null;
    lone = sub;
  }
  return lone && { component: lone, recurrenceId: null, start: timeProp(lone, 'dtstart'), shiftMs: 0 };
}

/** What an expanded VCALENDAR holds, in order: components kept as they are, and instances. */
type ExpandedPart = { readonly kept: IcalComponent } | { readonly instance: Instance };

/**
 * The parts of CALDAV:expand (RFC 4791 §9.6.5): every recurring component becomes the instances
 * that overlap the range (sorted by start), other components stay, VTIMEZONEs are dropped. As
 * Work (work.ts): it pauses after every instance walked.
 */
function* expandedPartsWork(
  root: IcalComponent,
  range: TimeRange,
  floating: IcalTimezone | null,
  stored: StoredInstances | null,
): Work<ExpandedPart[]> {
  const parts: ExpandedPart[] = [];
  const done = new Set<string>();
  for (const sub of root.getAllSubcomponents()) {
    if (sub.name === 'vtimezone') continue;
    if (!INSTANCE_COMPONENTS.includes(sub.name)) {
      parts.push({ kept: sub });
      continue;
    }
    if (done.has(sub.name)) continue;
    done.add(sub.name);
    const sets = recurrenceSets(root, sub.name);
    for (const set of sets) {
      const known =
        sub.name === 'vevent' && sets.length === 1 && stored ? instancesFromIntervals(set, stored, range) : null;
      const hits: Instance[] = known ?? [];
      for (const inst of known ? [] : instancesOf(set, { floating, until: range.end, from: range.start })) {
        yield;
        if (!instanceOverlaps(inst, range, floating)) continue;
        if (hits.length >= MAX_EXPANDED_INSTANCES) {
          throw new ExpansionLimitError(
            `CALDAV:expand would write more than ${MAX_EXPANDED_INSTANCES} instances of ${set.uid}; ask for a shorter range`,
          );
        }
        hits.push(inst);
      }
      const at = (i: Instance): number => i.startMs ?? (i.start ? toMs(i.start, floating) : 0);
      for (const inst of hits.sort((a, b) => at(a) - at(b))) parts.push({ instance: inst });
    }
  }
  return parts;
}

/**
 * CALDAV:expand (RFC 4791 §9.6.5): every recurring component becomes the instances that
 * overlap the range, each with a RECURRENCE-ID and no recurrence rules; date-times in UTC;
 * VTIMEZONEs dropped. As Work (work.ts): it pauses after every instance walked and written.
 */
export function* expandCalendarWork(
  root: IcalComponent,
  range: TimeRange,
  floating: IcalTimezone | null,
  stored: StoredInstances | null = null,
): Work<IcalComponent> {
  const out = new ICAL.Component('vcalendar');
  for (const p of root.getAllProperties()) out.addProperty(ICAL.Property.fromString(p.toICALString()));
  for (const part of yield* expandedPartsWork(root, range, floating, stored)) {
    out.addSubcomponent('kept' in part ? clone(part.kept) : instanceComponent(part.instance, floating));
    yield;
  }
  return out;
}

/**
 * `expandCalendarWork` written as iCalendar text, the same text ical.js writes for it: each
 * instance edited from its component's text (instance-text.ts), which is written once per
 * component while its parsed object lives, not copied and rewritten for every instance.
 */
export function* expandCalendarTextWork(
  root: IcalComponent,
  range: TimeRange,
  floating: IcalTimezone | null,
  stored: StoredInstances | null = null,
): Work<string> {
  const { head, tail } = shellOf(root);
  const out = [head];
  for (const part of yield* expandedPartsWork(root, range, floating, stored)) {
    if ('kept' in part) out.push(part.kept.toString());
    else {
      out.push(instanceText(part.instance, floating) ?? instanceComponent(part.instance, floating).toString());
    }
    yield;
  }
  return out.join('\r\n') + tail + '\r\n';
}

/**
 * The text of a VCALENDAR without its components, cut before its END line: written once per
 * parsed object, which the object cache shares and nobody modifies (as instance-text.ts
 * `templateFor`), not once per expanding request. Held weakly: it goes with the object's tree.
 */
const shells = new WeakMap<IcalComponent, { readonly head: string; readonly tail: string }>();

function shellOf(root: IcalComponent): { readonly head: string; readonly tail: string } {
  let shell = shells.get(root);
  if (shell === undefined) {
    const text = contentLines(['vcalendar', root.toJSON()[1], []]);
    const end = text.lastIndexOf('\r\nEND:');
    shell = { head: text.slice(0, end), tail: text.slice(end) };
    shells.set(root, shell);
  }
  return shell;
}

/**
 * A recurring event's CALDAV:expand made ready to be written from its stored intervals without
 * its parsed object: the VCALENDAR's shell, the master's occurrences as a template, each
 * override's instance text, and what `intervalHits` reads. Plain data: made from the parsed
 * object when the object is written (object-index.ts, stored as JSON beside its intervals:
 * `seriesTextJson`) or, for one stored before, when it is first expanded; kept by the object
 * cache in the tree's place (domain/calendar/object-cache.ts). At 10,000 events a window of a
 * calendar meets series no earlier window met, and parsing each of them — with its templates,
 * overrides and shell — was two fifths of an expanded week (issue #20). Its strings are about
 * the object's text without its VTIMEZONEs, where a tree is about a dozen times the text.
 */
export interface SeriesText {
  readonly uid: string;
  readonly head: string;
  readonly tail: string;
  readonly rule: RuleTemplate;
  readonly overrides: readonly SeriesTextOverride[];
  /** The RECURRENCE-IDs of the overrides, as instants. */
  readonly overridden: ReadonlySet<number>;
}

interface SeriesTextOverride {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The SeriesText of an object holding only VTIMEZONEs and one recurring VEVENT set (a master,
 * with or without overrides) that `instancesFromIntervals` can read from intervals and whose
 * every instance `expandCalendarTextWork` writes from its template; null for any other object
 * (it is then expanded from its parsed tree).
 */
export function seriesTextOf(root: IcalComponent): SeriesText | null {
  if (root.getAllSubcomponents().some((c) => c.name !== 'vtimezone' && c.name !== 'vevent')) return null;
  const sets = recurrenceSets(root, 'vevent');
  const set = sets.length === 1 ? sets[0] : undefined;
  const known = set ? seriesOf(set) : null;
  if (!set || !known) return null;
  const rule = ruleTemplateOf(known.master);
  if (!rule) return null;
  const overrides: SeriesTextOverride[] = [];
  for (const o of known.overrides) {
    const text = instanceText(o.inst, null);
    if (text === null) return null;
    overrides.push({ start: o.start, end: o.end, text });
  }
  const { head, tail } = shellOf(root);
  return { uid: set.uid, head, tail, rule, overrides, overridden: known.overridden };
}

/** Version of the JSON form: a form this code does not read is ignored (the series is expanded from its tree). */
const SERIES_TEXT_FORM = 1;

/** A SeriesText as JSON, to be stored beside the object's intervals. */
export function seriesTextJson(s: SeriesText): string {
  return JSON.stringify({ v: SERIES_TEXT_FORM, ...s, overridden: [...s.overridden] });
}

/** The SeriesText `seriesTextJson` wrote, or null for anything else (another form, damaged text). */
export function seriesTextFromJson(json: string): SeriesText | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const isOverride = (x: unknown): x is SeriesTextOverride => {
    const r = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    return isInstant(r.start) && isInstant(r.end) && typeof r.text === 'string';
  };
  const { uid, head, tail, rule, overrides, overridden } = o;
  if (
    o.v !== SERIES_TEXT_FORM ||
    typeof uid !== 'string' ||
    typeof head !== 'string' ||
    typeof tail !== 'string' ||
    !isRuleTemplate(rule) ||
    !Array.isArray(overrides) ||
    !overrides.every(isOverride) ||
    !Array.isArray(overridden) ||
    !overridden.every(isInstant)
  ) {
    return null;
  }
  return { uid, head, tail, rule, overrides, overridden: new Set(overridden) };
}

/**
 * `expandCalendarTextWork` of the object `s` was made from, with its stored intervals, for a
 * range they cover: the same bytes (its instances sorted by start, the sort stable as there),
 * or null where that path would walk the rule or write an instance with ical.js (the caller
 * then expands the parsed object). Times are absolute (intervals are stored for no other
 * object), so no floating zone is asked.
 */
export function* seriesTextWork(s: SeriesText, stored: StoredInstances, range: TimeRange): Work<string | null> {
  const hits = intervalHits(s, stored, range, s.uid);
  if (!hits) return null;
  const out = [s.head];
  for (const { start, override } of hits.sort((a, b) => a.start - b.start)) {
    const text = override >= 0 ? (s.overrides[override] as SeriesTextOverride).text : ruleInstanceText(s.rule, start);
    if (text === null) return null;
    out.push(text);
    yield;
  }
  return out.join('\r\n') + s.tail + '\r\n';
}

/**
 * CALDAV:limit-recurrence-set (RFC 4791 §9.6.6): the master stays; overridden instances are
 * kept only when they overlap the range.
 */
export function limitRecurrenceSet(
  root: IcalComponent,
  range: TimeRange,
  floating: IcalTimezone | null,
): IcalComponent {
  const out = clone(root);
  for (const sub of [...out.getAllSubcomponents()]) {
    if (!INSTANCE_COMPONENTS.includes(sub.name) || !sub.hasProperty('recurrence-id')) continue;
    const inst: Instance = {
      component: sub,
      recurrenceId: timeProp(sub, 'recurrence-id'),
      start: timeProp(sub, 'dtstart'),
      shiftMs: 0,
    };
    // A THISANDFUTURE override affects every later instance: kept unless it starts after the range.
    const affects =
      isThisAndFuture(sub) &&
      (range.end === null || toMs(inst.recurrenceId ?? inst.start ?? utcTime(0), floating) < range.end);
    if (!affects && !instanceOverlaps(inst, range, floating)) out.removeSubcomponent(sub);
  }
  return out;
}

/** CALDAV:limit-freebusy-set (RFC 4791 §9.6.7): only FREEBUSY periods that overlap the range. */
export function limitFreebusySet(root: IcalComponent, range: TimeRange, floating: IcalTimezone | null): IcalComponent {
  const out = clone(root);
  for (const fb of out.getAllSubcomponents('vfreebusy')) {
    for (const p of [...fb.getAllProperties('freebusy')]) {
      const keep = (p.getValues() as unknown[]).filter((v) => {
        const single = new ICAL.Component('vfreebusy');
        single.addPropertyWithValue('freebusy', v);
        return freebusyOverlaps(single, range, floating);
      });
      if (keep.length === 0) fb.removeProperty(p);
      else p.setValues(keep as never[]);
    }
  }
  return out;
}
