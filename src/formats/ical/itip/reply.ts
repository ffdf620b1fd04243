/**
 * The attendee's side (RFC 6638 §3.2.2, RFC 5546 §3.2.3 REPLY): when an attendee's write
 * changes their own participation, the REPLY to the organizer. It carries only what §3.2.2.1
 * lets an attendee change: their own ATTENDEE property, per instance.
 */
import { ICAL, type IcalComponent, type IcalProperty } from '../ical.js';
import { cleanCopy, itipCalendar, setStamp } from './message.js';
import { components, findAttendee, organizerOf, partstatOf } from './scheduling-object.js';

export interface AttendeeReply {
  readonly organizer: string;
  /** The attendee's address as the organizer's object names it. */
  readonly attendee: string;
  readonly ics: string;
}

const KEPT = ['uid', 'recurrence-id', 'sequence', 'dtstart', 'dtend', 'duration', 'due', 'summary', 'organizer'];

/** The REPLY component for one instance: the identifying properties and this attendee alone. */
function replyComponent(comp: IcalComponent, me: ReadonlySet<string>, partstat: string, now: Date): IcalComponent {
  const clean = cleanCopy(comp);
  const out = new ICAL.Component(clean.name);
  for (const name of KEPT) for (const p of clean.getAllProperties(name)) out.addProperty(p);
  const mine = findAttendee(clean, me);
  if (mine) {
    mine.setParameter('partstat', partstat);
    mine.removeParameter('rsvp');
    out.addProperty(mine);
  }
  setStamp(out, now);
  return out;
}

type TimeValue = { toString(): string; isDate: boolean };

/** Every EXDATE value of a component, with the property it came from (for its TZID). */
function exdates(comp: IcalComponent | undefined): Map<string, { value: TimeValue; prop: IcalProperty }> {
  const out = new Map<string, { value: TimeValue; prop: IcalProperty }>();
  for (const prop of comp?.getAllProperties('exdate') ?? [])
    for (const value of prop.getValues() as TimeValue[]) out.set(value.toString(), { value, prop });
  return out;
}

/**
 * RFC 6638 §3.2.2.1 item 8: an attendee who adds an EXDATE to their copy leaves that occurrence;
 * the organizer is told as a DECLINED reply for it (RFC 5546 §3.2.3, RECURRENCE-ID set).
 */
function declinedByExdate(
  before: IcalComponent | null,
  after: IcalComponent | null,
  me: ReadonlySet<string>,
  now: Date,
): IcalComponent[] {
  const master = after ? components(after).get('') : undefined;
  if (!master || !before || !findAttendee(master, me)) return [];
  const had = exdates(components(before).get(''));
  const out: IcalComponent[] = [];
  for (const [key, { value, prop }] of exdates(master)) {
    if (had.has(key)) continue;
    const comp = replyComponent(master, me, 'DECLINED', now);
    for (const name of ['dtstart', 'dtend', 'duration', 'due']) comp.removeAllProperties(name);
    const rid = new ICAL.Property('recurrence-id', comp);
    if (value.isDate) rid.resetType('date');
    rid.setValue(value);
    const tzid = prop.getParameter('tzid');
    if (tzid) rid.setParameter('tzid', String(tzid));
    comp.addProperty(rid);
    out.push(comp);
  }
  return out;
}

/**
 * The REPLY an attendee's write sends, or null when their participation did not change (or the
 * object names no organizer, or the attendee is not in it). `after` null = the attendee deleted
 * their copy: every instance is DECLINED (RFC 6638 §3.2.2.3); an EXDATE they added declines that
 * occurrence. `me` holds the writer's addresses.
 */
export function planReply(
  before: IcalComponent | null,
  after: IcalComponent | null,
  me: ReadonlySet<string>,
  now: Date,
): AttendeeReply | null {
  const root = after ?? before;
  if (!root) return null;
  const organizer = organizerOf(root);
  if (!organizer || me.has(organizer)) return null;
  const old = before ? components(before) : new Map<string, IcalComponent>();
  const comps: IcalComponent[] = [];
  let attendee: string | null = null;
  for (const [key, comp] of components(root)) {
    const mine = findAttendee(comp, me);
    if (!mine) continue;
    attendee = String(mine.getFirstValue());
    const now_ = after ? partstatOf(mine) : 'DECLINED';
    const prior = old.get(key) ?? old.get('');
    const was = after ? (prior ? partstatOf(findAttendee(prior, me)) : 'NEEDS-ACTION') : '';
    if (now_ !== was) comps.push(replyComponent(comp, me, now_, now));
  }
  comps.push(...declinedByExdate(before, after, me, now));
  if (!attendee || comps.length === 0) return null;
  return { organizer, attendee, ics: itipCalendar('REPLY', root, comps) };
}
