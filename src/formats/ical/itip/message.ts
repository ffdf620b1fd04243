/** Building iTIP messages (RFC 5546 §3): a VCALENDAR with METHOD holding copies of components. */
import { ICAL, type IcalComponent } from '../ical.js';

export type ItipMethod = 'REQUEST' | 'REPLY' | 'CANCEL' | 'ADD' | 'COUNTER' | 'DECLINECOUNTER' | 'REFRESH' | 'PUBLISH';

const PRODID = '-//Almanac//iTIP//EN';

/** Parameters that speak to this server only (RFC 6638 §7): never sent in an iTIP message. */
const SERVER_ONLY_PARAMS = ['schedule-status', 'schedule-force-send', 'schedule-agent'];

/** A copy of a component with the server-only parameters taken off ORGANIZER and ATTENDEE. */
export function cleanCopy(comp: IcalComponent): IcalComponent {
  const copy = new ICAL.Component(JSON.parse(JSON.stringify(comp.toJSON())) as unknown[]);
  for (const p of [...copy.getAllProperties('attendee'), ...copy.getAllProperties('organizer')]) {
    for (const name of SERVER_ONLY_PARAMS) p.removeParameter(name);
  }
  return copy;
}

/** A VCALENDAR with METHOD, the time zones `source` holds, and `comps` (already copies). */
export function itipCalendar(method: ItipMethod, source: IcalComponent, comps: readonly IcalComponent[]): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('method', method);
  for (const tz of source.getAllSubcomponents('vtimezone'))
    cal.addSubcomponent(new ICAL.Component(JSON.parse(JSON.stringify(tz.toJSON())) as unknown[]));
  for (const c of comps) cal.addSubcomponent(c);
  return cal.toString() + '\r\n';
}

/** The current time as an iCalendar UTC DATE-TIME, for DTSTAMP. */
function stampNow(now: Date): InstanceType<typeof ICAL.Time> {
  return ICAL.Time.fromJSDate(now, true);
}

export function setStamp(comp: IcalComponent, now: Date): void {
  comp.updatePropertyWithValue('dtstamp', stampNow(now));
}
