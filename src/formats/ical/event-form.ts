/**
 * The web app's event editor model: an event (or one occurrence, or this-and-following) as a
 * form, and the form written back into the iCalendar object (RFC 5545 §3.6.1, §3.8.4.4
 * RECURRENCE-ID overrides, §3.8.5 EXDATE / RRULE UNTIL).
 */
import {
  addTime,
  dateInput,
  dateTimeInput,
  instant,
  localDateInput,
  newCalendar,
  newUid,
  parseCalendar,
  parseInput,
  setTime,
  stamp,
  timeFrom,
  tzidOf,
  utcOf,
  wallFromMs,
  wallIn,
  wallMs,
} from './edit-time.js';
import { ICAL, type IcalComponent, type IcalTime } from './ical.js';
import { isKnownZone, localZone, wallToUtc } from './intl-zones.js';
import type { Occurrence } from './occurrences.js';
import {
  applyAttendees,
  attendeesOf,
  organizerOf,
  respond,
  type Me,
  type Participant,
  type PartStat,
  type Person,
} from './participants.js';
import { ruleFromString, ruleToString, type RuleForm } from './rule-form.js';

/** What the event editor edits. */
export interface EventForm {
  title: string;
  location: string;
  description: string;
  allDay: boolean;
  /** `YYYY-MM-DDTHH:mm` (or `YYYY-MM-DD` when all-day) in `tz`. */
  start: string;
  /** Exclusive end, same form; for all-day events the last day shown is the day before. */
  end: string;
  tz: string;
  /** Minutes before the start. */
  reminders: number[];
  /** The meeting's organizer: the event's, or the user for a meeting made now; null = no meeting. */
  organizer: Person | null;
  /** Everyone listed as ATTENDEE (the organizer too, as clients write it). */
  attendees: Participant[];
  rule: RuleForm | null;
}

export type Scope = 'this' | 'following' | 'all';

function masterOf(vcal: IcalComponent, kind = 'vevent'): IcalComponent | undefined {
  return (
    vcal.getAllSubcomponents(kind).find((c) => !c.hasProperty('recurrence-id')) ??
    vcal.getFirstSubcomponent(kind) ??
    undefined
  );
}

function endOf(ev: InstanceType<typeof ICAL.Event>): IcalTime {
  if (ev.component.hasProperty('dtend') || ev.component.hasProperty('duration')) return ev.endDate;
  const e = ev.startDate.clone();
  // RFC 5545 §3.6.1: no DTEND/DURATION: a DATE lasts one day, a DATE-TIME is an instant.
  if (e.isDate) e.day += 1;
  return e;
}

function untilToDate(value: string, tz: string): string {
  const t = ICAL.Time.fromString(
    value.length === 8
      ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
      : `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}${value.endsWith('Z') ? 'Z' : ''}`,
    null,
  );
  if (t.isDate) return dateInput(t);
  return t.zone?.tzid === 'UTC' ? dateInput(wallIn(instant(t), tz)) : dateInput(t);
}

/** The form for a whole series (or single event), or for one occurrence of it. */
export function readEvent(vcal: IcalComponent, occurrence: Occurrence | null): EventForm {
  const master = masterOf(vcal)!;
  let comp = master;
  if (occurrence?.recurrenceId) {
    comp =
      vcal.getAllSubcomponents('vevent').find((c) => {
        const rid = c.getFirstPropertyValue('recurrence-id') as IcalTime | null;
        return (
          rid && (rid.toString() === occurrence.recurrenceId || instant(rid).getTime() === occurrence.start.getTime())
        );
      }) ?? master;
  }
  const ev = new ICAL.Event(comp);
  const tzid = tzidOf(comp.getFirstProperty('dtstart'));
  const tz = tzid && isKnownZone(tzid) ? tzid : localZone();
  const allDay = ev.startDate.isDate;
  let startD = instant(ev.startDate);
  let endD = instant(endOf(ev));
  if (occurrence && comp === master && occurrence.recurrenceId) {
    startD = occurrence.start;
    endD = occurrence.end;
  }
  const fmt = (d: Date): string => (allDay ? localDateInput(d) : dateTimeInput(wallIn(d, tz)));
  const rrule = master.getFirstProperty('rrule');
  return {
    title: ev.summary ?? '',
    location: ev.location ?? '',
    description: ev.description ?? '',
    allDay,
    start: fmt(startD),
    end: fmt(endD),
    tz,
    reminders: comp.getAllSubcomponents('valarm').map((a) => {
      const trig = a.getFirstPropertyValue('trigger');
      return trig instanceof ICAL.Duration ? Math.max(0, Math.round(-trig.toSeconds() / 60)) : 0;
    }),
    organizer: organizerOf(comp),
    attendees: attendeesOf(comp),
    rule: rrule ? ruleFromString(rrule.getFirstValue()!.toString(), (v) => untilToDate(v, tz)) : null,
  };
}

/** Write the form's fields into a VEVENT (master or override). */
function applyForm(comp: IcalComponent, f: EventForm, withRule: boolean): void {
  comp.updatePropertyWithValue('summary', f.title.trim() || 'Untitled');
  for (const [name, value] of [
    ['location', f.location],
    ['description', f.description],
  ] as const) {
    if (value.trim()) comp.updatePropertyWithValue(name, value);
    else comp.removeAllProperties(name);
  }
  const s = parseInput(f.start);
  let e = parseInput(f.end);
  if (wallMs(e) < wallMs(s) || (f.allDay && wallMs(e) <= wallMs(s)))
    e = wallFromMs(wallMs(s) + (f.allDay ? 86400000 : 3600000));
  comp.removeAllProperties('duration');
  setTime(comp, 'dtstart', timeFrom(s, f.allDay), f.allDay ? undefined : f.tz);
  setTime(comp, 'dtend', timeFrom(e, f.allDay), f.allDay ? undefined : f.tz);
  for (const a of comp.getAllSubcomponents('valarm')) comp.removeSubcomponent(a);
  for (const minutes of f.reminders) {
    const alarm = new ICAL.Component('valarm');
    alarm.updatePropertyWithValue('action', 'DISPLAY');
    alarm.updatePropertyWithValue('description', f.title || 'Reminder');
    alarm.updatePropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
    comp.addSubcomponent(alarm);
  }
  // RFC 6638 §3.2.1: the organizer's copy names the attendees; the server invites them.
  applyAttendees(comp, f.attendees, f.organizer);
  if (withRule) {
    comp.removeAllProperties('rrule');
    if (f.rule) {
      const text = ruleToString(f.rule, s, (date) => {
        const d = parseInput(date);
        if (f.allDay) return dateInput(d).replace(/-/g, '');
        // UNTIL is inclusive; with a TZID DTSTART it must be UTC (RFC 5545 §3.3.10).
        return utcOf(wallToUtc({ ...d, hour: 23, minute: 59, second: 59 }, f.tz)).toICALString();
      });
      comp.addPropertyWithValue('rrule', ICAL.Recur.fromString(text));
    }
  }
  const seq = Number(comp.getFirstPropertyValue('sequence') ?? 0);
  comp.updatePropertyWithValue('sequence', seq + 1);
  stamp(comp);
}

/** A new event's iCalendar text. */
export function createEvent(f: EventForm, uid = newUid()): { uid: string; data: string } {
  const vcal = newCalendar();
  const ev = new ICAL.Component('vevent');
  vcal.addSubcomponent(ev);
  ev.updatePropertyWithValue('uid', uid);
  applyForm(ev, f, true);
  ev.updatePropertyWithValue('created', utcOf(new Date()));
  return { uid, data: vcal.toString() };
}

function ridMatches(c: IcalComponent, rid: string): boolean {
  const v = c.getFirstPropertyValue('recurrence-id') as IcalTime | null;
  return !!v && v.toString() === rid;
}

/** The occurrence's RECURRENCE-ID as a time in the master's DTSTART form. */
function ridTime(master: IcalComponent, rid: string): IcalTime {
  const t = ICAL.Time.fromString(rid, null);
  const start = master.getFirstPropertyValue('dtstart') as IcalTime;
  if (start.zone?.tzid === 'UTC' && !t.isDate)
    return utcOf(new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)));
  // In the master's zone, so its instant is the one the series names.
  if (!t.isDate && t.zone?.tzid !== 'UTC' && start.zone) t.zone = start.zone;
  return t;
}

/** End the series before `rid`: UNTIL just before it; overrides and EXDATEs from then on go. */
function truncate(vcal: IcalComponent, master: IcalComponent, rid: string): void {
  const at = ridTime(master, rid);
  const cut = instant(at);
  const rrule = master.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur> | null;
  if (rrule) {
    const until = at.isDate
      ? (() => {
          const d = at.clone();
          d.day -= 1;
          return d;
        })()
      : utcOf(new Date(cut.getTime() - 1000));
    const text = rrule
      .toString()
      .split(';')
      .filter((p) => !/^(UNTIL|COUNT)=/i.test(p))
      .concat(`UNTIL=${until.toICALString()}`)
      .join(';');
    master.updatePropertyWithValue('rrule', ICAL.Recur.fromString(text));
  }
  for (const c of vcal.getAllSubcomponents('vevent')) {
    const v = c.getFirstPropertyValue('recurrence-id') as IcalTime | null;
    if (v && instant(v) >= cut) vcal.removeSubcomponent(c);
  }
  for (const p of master.getAllProperties('exdate')) {
    const v = p.getFirstValue() as IcalTime;
    if (instant(v) >= cut) master.removeProperty(p);
  }
  stamp(master);
}

/** The override of occurrence `rid` (RFC 5545 §3.8.4.4), made from the master when there is none. */
function overrideFor(vcal: IcalComponent, master: IcalComponent, rid: string): IcalComponent {
  const found = vcal.getAllSubcomponents('vevent').find((c) => ridMatches(c, rid));
  if (found) return found;
  const override = new ICAL.Component(ICAL.parse(master.toString()) as never);
  for (const n of ['rrule', 'rdate', 'exdate']) override.removeAllProperties(n);
  setTime(override, 'recurrence-id', ridTime(master, rid), tzidOf(master.getFirstProperty('dtstart')));
  vcal.addSubcomponent(override);
  return override;
}

/**
 * An attendee's answer (RFC 6638 §3.2.2.1): their PARTSTAT and comment in their own copy, for
 * the whole series or — `occurrence` given — that one occurrence. The server sends the REPLY.
 */
export function respondToEvent(
  data: string,
  me: Me,
  status: PartStat,
  comment: string,
  occurrence: Occurrence | null,
): string {
  const vcal = parseCalendar(data);
  const rid = occurrence?.recurrenceId ?? null;
  respond(vcal, me, status, comment, rid ? overrideFor(vcal, masterOf(vcal)!, rid) : undefined);
  return vcal.toString();
}

export interface EditResult {
  /** New text of the edited object; null = delete the object. */
  readonly update: string | null;
  /** A new object to create (the "this and following" half). */
  readonly create?: { uid: string; data: string };
}

/** Apply the editor's form to an existing object, for one occurrence, this and following, or all. */
export function editEvent(data: string, f: EventForm, occurrence: Occurrence | null, scope: Scope): EditResult {
  const vcal = parseCalendar(data);
  const master = masterOf(vcal)!;
  const rid = occurrence?.recurrenceId ?? null;
  if (!rid || scope === 'all' || (scope === 'following' && occurrence?.first)) {
    if (rid && occurrence) {
      // The form shows this occurrence's times: move the series by the same amount.
      const ms = new ICAL.Event(master);
      const ownStart = instant(ms.startDate);
      const delta = parseInputMs(f.start) - wallMs(wallIn(occurrence.start, f.tz));
      const duration = parseInputMs(f.end) - parseInputMs(f.start);
      const base = wallMs(wallIn(ownStart, f.tz));
      const shifted = { ...f, start: fmtLike(f, base + delta), end: fmtLike(f, base + delta + duration) };
      if (delta !== 0) shiftInstances(vcal, master, delta);
      applyForm(master, shifted, true);
    } else applyForm(master, f, true);
    return { update: vcal.toString() };
  }
  if (scope === 'this') {
    applyForm(overrideFor(vcal, master, rid), f, false);
    return { update: vcal.toString() };
  }
  // this and following: the old series ends before this occurrence, a new one starts here.
  truncate(vcal, master, rid);
  const created = createEvent(f);
  const related = parseCalendar(created.data);
  masterOf(related)!.updatePropertyWithValue('related-to', String(master.getFirstPropertyValue('uid')));
  return { update: vcal.toString(), create: { uid: created.uid, data: related.toString() } };
}

function parseInputMs(s: string): number {
  return wallMs(parseInput(s));
}

function fmtLike(f: EventForm, ms: number): string {
  const w = wallFromMs(ms);
  return f.allDay ? dateInput(w) : dateTimeInput(w);
}

/** Move overrides' RECURRENCE-IDs and EXDATEs with the series (they name original start times). */
function shiftInstances(vcal: IcalComponent, master: IcalComponent, deltaMs: number): void {
  const shift = (t: IcalTime): IcalTime => {
    const c = t.clone();
    c.addDuration(ICAL.Duration.fromSeconds(deltaMs / 1000));
    return c;
  };
  for (const c of vcal.getAllSubcomponents('vevent')) {
    const p = c.getFirstProperty('recurrence-id');
    if (p) p.setValue(shift(p.getFirstValue() as IcalTime));
  }
  for (const p of master.getAllProperties('exdate')) p.setValue(shift(p.getFirstValue() as IcalTime));
}

/** Delete one occurrence (EXDATE), this and following (UNTIL), or everything. */
export function deleteEvent(data: string, occurrence: Occurrence | null, scope: Scope): EditResult {
  const rid = occurrence?.recurrenceId ?? null;
  if (!rid || scope === 'all' || (scope === 'following' && occurrence?.first)) return { update: null };
  const vcal = parseCalendar(data);
  const master = masterOf(vcal)!;
  if (scope === 'following') {
    truncate(vcal, master, rid);
    return { update: vcal.toString() };
  }
  for (const c of vcal.getAllSubcomponents('vevent')) if (ridMatches(c, rid)) vcal.removeSubcomponent(c);
  addTime(master, 'exdate', ridTime(master, rid), tzidOf(master.getFirstProperty('dtstart')));
  stamp(master);
  return { update: vcal.toString() };
}

/** Move/resize from drag and drop: new start/end instants for an occurrence. */
export function formWithTimes(f: EventForm, start: Date, end: Date, allDay: boolean): EventForm {
  const tz = f.tz || localZone();
  if (allDay) {
    return { ...f, allDay: true, start: localDateInput(start), end: localDateInput(end) };
  }
  return { ...f, allDay: false, start: dateTimeInput(wallIn(start, tz)), end: dateTimeInput(wallIn(end, tz)) };
}
