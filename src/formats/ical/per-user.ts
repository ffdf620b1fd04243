/**
 * Per-user calendar data (calendarserver-sharing §5.5.4): in a shared calendar the TRANSP
 * property and the VALARM components of each component are each user's own. The shared object
 * holds the owner's; a sharee's are kept apart, as a VCALENDAR of stubs — one per component that
 * has any, naming it by UID and RECURRENCE-ID and holding only its TRANSP and VALARMs.
 *
 * Two pure operations cover reads and writes: `perUserPart` takes a user's parts out of a text,
 * `withPerUserPart` puts another user's parts in place of a text's own.
 */
import { ICAL, OBJECT_COMPONENTS, type IcalComponent } from './ical.js';
import { parseCalendar } from './parse.js';

const OBJECT_NAMES = new Set<string>(OBJECT_COMPONENTS.map((n) => n.toLowerCase()));

/** Components (by UID and RECURRENCE-ID) whose per-user parts are kept; any further ones are ignored. */
const MAX_STUBS = 1_000;

/** What names one component across texts: UID and RECURRENCE-ID as written (with its TZID). */
function componentKey(c: IcalComponent): string {
  const rid = c.getFirstProperty('recurrence-id');
  return `${c.name}|${String(c.getFirstPropertyValue('uid') ?? '')}|${rid ? rid.toICALString() : ''}`;
}

function objectComponents(root: IcalComponent): IcalComponent[] {
  return root.getAllSubcomponents().filter((c) => OBJECT_NAMES.has(c.name));
}

/** Whether a component holds any per-user part. */
function hasPerUser(c: IcalComponent): boolean {
  return c.hasProperty('transp') || c.getAllSubcomponents('valarm').length > 0;
}

function removePerUser(c: IcalComponent): void {
  c.removeAllProperties('transp');
  c.removeAllSubcomponents('valarm');
}

function copyPerUser(from: IcalComponent, to: IcalComponent): void {
  const transp = from.getFirstProperty('transp');
  if (transp) to.addProperty(new ICAL.Property(transp.toJSON() as never));
  for (const alarm of from.getAllSubcomponents('valarm'))
    to.addSubcomponent(new ICAL.Component(alarm.toJSON() as never));
}

/** Quick test on the text: nothing per-user can be in it. */
function mayHold(text: string): boolean {
  return /^(TRANSP[;:]|BEGIN:VALARM)/im.test(text);
}

/**
 * The per-user part of a calendar object's text: a VCALENDAR of stubs (UID, RECURRENCE-ID,
 * TRANSP, VALARMs) for each component that has any, or null when none has.
 */
export function perUserPart(text: string): string | null {
  if (!mayHold(text)) return null;
  const out = new ICAL.Component('vcalendar');
  out.addPropertyWithValue('version', '2.0');
  out.addPropertyWithValue('prodid', '-//Almanac//per-user data//EN');
  let stubs = 0;
  for (const c of objectComponents(parseCalendar(text))) {
    if (!hasPerUser(c) || stubs >= MAX_STUBS) continue;
    const stub = new ICAL.Component(c.name);
    for (const name of ['uid', 'recurrence-id']) {
      const p = c.getFirstProperty(name);
      if (p) stub.addProperty(new ICAL.Property(p.toJSON() as never));
    }
    copyPerUser(c, stub);
    out.addSubcomponent(stub);
    stubs += 1;
  }
  return stubs > 0 ? out.toString() : null;
}

/**
 * `text` with every component's own TRANSP and VALARMs replaced by those `part` (a text or a
 * per-user part) holds for the same component (UID and RECURRENCE-ID); components `part` does
 * not name are left without. Text with nothing to remove and no part is returned unchanged.
 */
export function withPerUserPart(text: string, part: string | null): string {
  if (part === null && !mayHold(text)) return text;
  const root = parseCalendar(text);
  const theirs = new Map<string, IcalComponent>();
  if (part !== null) for (const c of objectComponents(parseCalendar(part))) theirs.set(componentKey(c), c);
  for (const c of objectComponents(root)) {
    removePerUser(c);
    const from = theirs.get(componentKey(c));
    if (from) copyPerUser(from, c);
  }
  return root.toString();
}

/**
 * Properties that say when and by what an object was written, not what it holds; a client
 * rewrites them on any save (iOS DTSTAMP, Thunderbird PRODID and LAST-MODIFIED).
 */
const WRITE_STAMPS = new Set(['dtstamp', 'prodid', 'last-modified']);

/** A component as text that does not depend on the order of its properties and subcomponents. */
function canonicalForm(c: IcalComponent): string {
  const props = c
    .getAllProperties()
    .filter((p) => !WRITE_STAMPS.has(p.name))
    .map((p) => p.toICALString())
    .sort();
  const subs = c.getAllSubcomponents().map(canonicalForm).sort();
  return `${c.name}{${props.join('\n')}\n${subs.join('\n')}}`;
}

function sharedForm(text: string): string {
  const root = parseCalendar(text);
  for (const c of objectComponents(root)) removePerUser(c);
  return canonicalForm(root);
}

/**
 * Whether two texts of one object hold the same shared data: they differ at most in per-user
 * parts (TRANSP, VALARMs), the order of properties and components, and write stamps.
 */
export function sameSharedData(a: string, b: string): boolean {
  return sharedForm(a) === sharedForm(b);
}
