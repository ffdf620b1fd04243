/**
 * A busy-time request (RFC 5546 §3.3.2 VFREEBUSY REQUEST, as RFC 6638 §5 POSTs it to the
 * outbox) and each recipient's REPLY (§3.3.3).
 */
import { freeBusyCalendar, type BusyPeriod } from '../freebusy.js';
import { ICAL, type IcalComponent } from '../ical.js';
import { toMs } from '../time.js';
import { addressOf, normalizeAddress } from './scheduling-object.js';

export interface FreeBusyRequest {
  readonly uid: string | null;
  readonly start: number;
  readonly end: number;
  readonly organizer: string;
  readonly attendees: readonly string[];
  readonly component: IcalComponent;
}

/** The request, or why it is no valid scheduling message (RFC 6638 §5.2.1). */
export function parseFreeBusyRequest(text: string): FreeBusyRequest | { readonly invalid: string } {
  let root: IcalComponent;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch {
    return { invalid: 'the body is no iCalendar object' };
  }
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST')
    return { invalid: 'METHOD must be REQUEST' };
  const fbs = root.getAllSubcomponents('vfreebusy');
  const fb = fbs[0];
  if (!fb || fbs.length !== 1) return { invalid: 'one VFREEBUSY is needed' };
  const start = fb.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time> | null;
  const end = fb.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time> | null;
  const organizer = fb.getFirstPropertyValue('organizer');
  const attendees = fb.getAllProperties('attendee').map(addressOf);
  if (!start || !end || typeof organizer !== 'string' || attendees.length === 0)
    return { invalid: 'DTSTART, DTEND, ORGANIZER and ATTENDEE are required' };
  const range = { start: toMs(start, null), end: toMs(end, null) };
  if (!(range.end > range.start)) return { invalid: 'DTEND must be after DTSTART' };
  const uid = fb.getFirstPropertyValue('uid');
  return {
    uid: typeof uid === 'string' ? uid : null,
    ...range,
    organizer: normalizeAddress(organizer),
    attendees: [...new Set(attendees)],
    component: fb,
  };
}

/** The REPLY for one recipient: their busy periods in a VFREEBUSY naming the request's UID, ORGANIZER and them. */
export function freeBusyReply(
  req: FreeBusyRequest,
  attendee: string,
  periods: readonly BusyPeriod[],
  now: number,
): string {
  const root = new ICAL.Component(ICAL.parse(freeBusyCalendar(req, periods, now)) as unknown[]);
  root.addPropertyWithValue('method', 'REPLY');
  const fb = root.getFirstSubcomponent('vfreebusy') as IcalComponent;
  if (req.uid) fb.addPropertyWithValue('uid', req.uid);
  for (const name of ['organizer', 'attendee']) {
    const p =
      name === 'organizer'
        ? req.component.getFirstProperty('organizer')
        : req.component.getAllProperties('attendee').find((a) => addressOf(a) === attendee);
    if (p) fb.addProperty(new ICAL.Property(JSON.parse(JSON.stringify(p.toJSON())) as unknown[]));
  }
  return root.toString() + '\r\n';
}
