import { ICAL, type IcalComponent } from './ical.js';

/**
 * One iCalendar stream of many objects (a calendar export): every component once, each
 * VTIMEZONE once by TZID (RFC 5545 §3.4). `name`, the collection's display name, is written as
 * X-WR-CALNAME, which Apple Calendar, Google Calendar, Thunderbird and Outlook read as the name
 * of the calendar they import or subscribe to.
 */
export function mergeCalendars(
  roots: readonly IcalComponent[],
  prodid = '-//Almanac//CalDAV export//EN',
  name?: string,
): string {
  const out = new ICAL.Component('vcalendar');
  out.addPropertyWithValue('version', '2.0');
  out.addPropertyWithValue('prodid', prodid);
  if (name) out.addPropertyWithValue('x-wr-calname', name);
  const zones = new Set<string>();
  for (const root of roots) {
    for (const sub of root.getAllSubcomponents()) {
      if (sub.name === 'vtimezone') {
        const id = String(sub.getFirstPropertyValue('tzid') ?? '');
        if (zones.has(id)) continue;
        zones.add(id);
      }
      out.addSubcomponent(new ICAL.Component(sub.toJSON() as never));
    }
  }
  // VTIMEZONEs first, as most importers expect.
  const subs = [...out.getAllSubcomponents()];
  for (const s of subs) out.removeSubcomponent(s);
  for (const s of subs.filter((c) => c.name === 'vtimezone')) out.addSubcomponent(s);
  for (const s of subs.filter((c) => c.name !== 'vtimezone')) out.addSubcomponent(s);
  return out.toString() + '\r\n';
}
