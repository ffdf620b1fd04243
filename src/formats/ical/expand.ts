import { ICAL, type IcalComponent, type IcalProperty, type IcalTime, type IcalTimezone } from './ical.js';
import { instancesOf, isThisAndFuture, recurrenceSets, timeProp, type Instance } from './instances.js';
import { freebusyOverlaps, instanceOverlaps, type TimeRange } from './time-range.js';
import { ExpansionLimitError } from './errors.js';
import { MAX_EXPANDED_INSTANCES } from './limits.js';
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
 * CALDAV:expand (RFC 4791 §9.6.5): every recurring component becomes the instances that
 * overlap the range, each with a RECURRENCE-ID and no recurrence rules; date-times in UTC;
 * VTIMEZONEs dropped. As Work (work.ts): it pauses after every instance walked and written.
 */
export function* expandCalendarWork(
  root: IcalComponent,
  range: TimeRange,
  floating: IcalTimezone | null,
): Work<IcalComponent> {
  const out = new ICAL.Component('vcalendar');
  for (const p of root.getAllProperties()) out.addProperty(ICAL.Property.fromString(p.toICALString()));
  const done = new Set<string>();
  for (const sub of root.getAllSubcomponents()) {
    if (sub.name === 'vtimezone') continue;
    if (!INSTANCE_COMPONENTS.includes(sub.name)) {
      out.addSubcomponent(clone(sub));
      continue;
    }
    if (done.has(sub.name)) continue;
    done.add(sub.name);
    for (const set of recurrenceSets(root, sub.name)) {
      const hits: Instance[] = [];
      for (const inst of instancesOf(set, { floating, until: range.end, from: range.start })) {
        yield;
        if (!instanceOverlaps(inst, range, floating)) continue;
        if (hits.length >= MAX_EXPANDED_INSTANCES) {
          throw new ExpansionLimitError(
            `CALDAV:expand would write more than ${MAX_EXPANDED_INSTANCES} instances of ${set.uid}; ask for a shorter range`,
          );
        }
        hits.push(inst);
      }
      const at = (i: Instance): number => (i.start ? toMs(i.start, floating) : 0);
      for (const inst of hits.sort((a, b) => at(a) - at(b))) {
        out.addSubcomponent(instanceComponent(inst, floating));
        yield;
      }
    }
  }
  return out;
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
