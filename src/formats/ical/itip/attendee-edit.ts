/**
 * An attendee's edit of their copy, taken as RFC 6638 §3.2.2.1 allows ("Allowed Attendee
 * Changes"), for writers that send a partial or lossy copy (SyncML phones: no ORGANIZER, no
 * other ATTENDEEs, no X- properties, parameters dropped, vCalendar 1.0 forms). The result is
 * the stored copy with only what the attendee may change taken from the edit: their own PARTSTAT
 * (item 1), TRANSP, PERCENT-COMPLETE and COMPLETED (items 2–4), VALARMs (item 5) and added
 * EXDATEs with the overrides they remove (item 8). Everything else — the organizer, the other
 * attendees and their parameters, times, summary, X- properties, overrides the edit does not
 * hold — stays as stored. What the edit omits is kept: a phone cannot tell "removed" from
 * "cannot hold", so only a value it sends counts.
 */
import { ICAL, type IcalComponent, type IcalProperty } from '../ical.js';
import { components, findAttendee, organizerOf } from './scheduling-object.js';

/** Properties an attendee may add or modify (§3.2.2.1 items 2–4). */
const ATTENDEE_PROPERTIES = ['transp', 'percent-complete', 'completed'] as const;

const clone = <T extends IcalComponent | IcalProperty>(x: T, make: (json: unknown[]) => T): T =>
  make(JSON.parse(JSON.stringify(x.toJSON())) as unknown[]);
const cloneComponent = (c: IcalComponent): IcalComponent => clone(c, (j) => new ICAL.Component(j));
const cloneProperty = (p: IcalProperty): IcalProperty => clone(p, (j) => new ICAL.Property(j));

/**
 * Whether `stored` is an attendee's copy of the user `me` names (RFC 6638 §3.1): it has an
 * organizer who is not `me`, `me` is an attendee of one of its components, and the server
 * schedules for it (SCHEDULE-AGENT on the ORGANIZER absent or SERVER, §7.1).
 */
export function isAttendeeCopy(stored: IcalComponent, me: ReadonlySet<string>): boolean {
  const organizer = organizerOf(stored);
  if (!organizer || me.has(organizer)) return false;
  let attending = false;
  for (const c of components(stored).values()) {
    const agent = c.getFirstProperty('organizer')?.getParameter('schedule-agent');
    if (agent !== undefined && agent !== null && String(agent).toUpperCase() !== 'SERVER') return false;
    if (findAttendee(c, me)) attending = true;
  }
  return attending;
}

/** §3.2.2.1 item 1: the attendee's own PARTSTAT, when the edit names them with one. */
function takePartstat(target: IcalComponent, edit: IcalComponent, me: ReadonlySet<string>): void {
  const mine = findAttendee(target, me);
  const sent = findAttendee(edit, me)?.getParameter('partstat');
  if (!mine || sent === undefined || sent === null || String(sent).trim() === '') return;
  mine.setParameter('partstat', String(sent).toUpperCase());
}

/** §3.2.2.1 items 2–4: TRANSP, PERCENT-COMPLETE, COMPLETED as the edit has them (kept when it has none). */
function takeProperties(target: IcalComponent, edit: IcalComponent): void {
  for (const name of ATTENDEE_PROPERTIES) {
    const sent = edit.getAllProperties(name);
    if (sent.length === 0) continue;
    target.removeAllProperties(name);
    for (const p of sent) target.addProperty(cloneProperty(p));
  }
}

/** §3.2.2.1 item 5: the edit's alarms replace the stored ones (kept when it sends none). */
function takeAlarms(target: IcalComponent, edit: IcalComponent): void {
  const sent = edit.getAllSubcomponents('valarm');
  if (sent.length === 0) return;
  target.removeAllSubcomponents('valarm');
  for (const a of sent) target.addSubcomponent(cloneComponent(a));
}

/** The EXDATE values of a component, as instance keys. */
function exdates(comp: IcalComponent): Set<string> {
  const out = new Set<string>();
  for (const p of comp.getAllProperties('exdate'))
    for (const v of p.getValues()) out.add((v as { toString(): string }).toString());
  return out;
}

/**
 * §3.2.2.1 item 8: EXDATEs the edit's master adds to the stored master, and the overrides of
 * those instances removed from `root`.
 */
function takeExdates(root: IcalComponent, master: IcalComponent, edit: IcalComponent): void {
  const have = exdates(master);
  for (const p of edit.getAllProperties('exdate')) {
    const added = p.getValues().filter((v) => !have.has((v as { toString(): string }).toString()));
    if (added.length === 0) continue;
    const copy = cloneProperty(p);
    copy.setValues(added);
    master.addProperty(copy);
    for (const v of added) have.add((v as { toString(): string }).toString());
  }
  for (const [key, comp] of components(root)) if (key !== '' && have.has(key)) root.removeSubcomponent(comp);
}

/**
 * The copy to store when the attendee `me` sends `edit` for their stored copy `stored` (see
 * the file comment). The edit's components are matched by RECURRENCE-ID; an override only the
 * edit holds is not taken. Neither argument is changed.
 */
export function mergeAttendeeEdit(stored: IcalComponent, edit: IcalComponent, me: ReadonlySet<string>): IcalComponent {
  const root = cloneComponent(stored);
  const sent = components(edit);
  for (const [key, comp] of components(root)) {
    const theirs = sent.get(key);
    if (!theirs) continue;
    takePartstat(comp, theirs, me);
    takeProperties(comp, theirs);
    takeAlarms(comp, theirs);
    if (key === '') takeExdates(root, comp, theirs);
  }
  return root;
}
