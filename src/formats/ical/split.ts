import { ICAL, type IcalComponent } from './ical.js';

/** One calendar object resource cut out of an iCalendar stream. */
export interface SplitObject {
  readonly uid: string;
  readonly text: string;
}

export interface SplitSkip {
  readonly what: string;
  readonly reason: string;
}

function tzidsOf(c: IcalComponent, out: Set<string>): void {
  for (const p of c.getAllProperties()) {
    const tz = p.getParameter('tzid');
    if (typeof tz === 'string') out.add(tz);
  }
  for (const s of c.getAllSubcomponents()) tzidsOf(s, out);
}

/**
 * Cut calendars (e.g. an export with hundreds of events) into calendar object resources
 * (RFC 4791 §4.1): one per UID, with the VTIMEZONEs its TZIDs need. Components without UID,
 * and METHOD-bearing iTIP messages' METHOD, are reported rather than guessed at.
 */
export function splitCalendars(roots: readonly IcalComponent[]): { objects: SplitObject[]; skipped: SplitSkip[] } {
  const objects: SplitObject[] = [];
  const skipped: SplitSkip[] = [];
  const byUid = new Map<string, { comps: IcalComponent[]; root: IcalComponent }>();
  for (const root of roots) {
    for (const c of root.getAllSubcomponents()) {
      if (c.name === 'vtimezone') continue;
      const uid = c.getFirstPropertyValue('uid');
      const label = `${c.name.toUpperCase()} ${String(c.getFirstPropertyValue('summary') ?? '')}`.trim();
      if (typeof uid !== 'string' || uid === '') {
        skipped.push({ what: label, reason: 'no UID' });
        continue;
      }
      const entry = byUid.get(uid) ?? { comps: [], root };
      entry.comps.push(c);
      byUid.set(uid, entry);
    }
  }
  for (const [uid, { comps, root }] of byUid) {
    const cal = new ICAL.Component('vcalendar');
    cal.addPropertyWithValue('version', '2.0');
    cal.addPropertyWithValue('prodid', String(root.getFirstPropertyValue('prodid') ?? '-//Almanac//import//EN'));
    const needed = new Set<string>();
    for (const c of comps) tzidsOf(c, needed);
    for (const r of roots) {
      for (const z of r.getAllSubcomponents('vtimezone')) {
        const id = String(z.getFirstPropertyValue('tzid') ?? '');
        if (needed.delete(id)) cal.addSubcomponent(new ICAL.Component(z.toJSON() as never));
      }
    }
    for (const c of comps) cal.addSubcomponent(new ICAL.Component(c.toJSON() as never));
    objects.push({ uid, text: cal.toString() + '\r\n' });
  }
  return { objects, skipped };
}
