/**
 * Applying a REPLY to the organizer's copy (RFC 5546 §3.2.3, RFC 6638 §3.2.2): the replying
 * attendee's PARTSTAT per instance, with SCHEDULE-STATUS 2.0; an instance the copy has no
 * override for gets one, made from the master.
 */
import { ICAL, type IcalComponent } from '../ical.js';
import { addressOf, attendeesOf, components, instanceKey, normalizeAddress } from './scheduling-object.js';

export type ReplyOutcome =
  | { readonly ok: true; readonly attendee: string; readonly changed: boolean }
  | { readonly ok: false; readonly reason: string };

/** An override for the instance `reply` names, from the master (RFC 5545 §3.8.4.4). */
function overrideFromMaster(master: IcalComponent, reply: IcalComponent): IcalComponent {
  const copy = new ICAL.Component(JSON.parse(JSON.stringify(master.toJSON())) as unknown[]);
  for (const name of ['rrule', 'rdate', 'exdate']) copy.removeAllProperties(name);
  const rid = reply.getFirstProperty('recurrence-id');
  const start = master.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time> | null;
  const end = master.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time> | null;
  if (rid) {
    copy.addProperty(new ICAL.Property(JSON.parse(JSON.stringify(rid.toJSON())) as unknown[]));
    const at = (rid.getFirstValue() as InstanceType<typeof ICAL.Time>).clone();
    if (start && end) {
      const length = end.subtractDate(start);
      const newEnd = at.clone();
      newEnd.addDuration(length);
      copy.updatePropertyWithValue('dtend', newEnd);
    }
    copy.updatePropertyWithValue('dtstart', at);
  }
  return copy;
}

/**
 * Apply `reply` to the organizer's `root` in place. `sender`, when given (a message from
 * outside), must be the replying attendee. A REPLY without ORGANIZER is taken (Outlook sends
 * them). Refused when the replying address is not an attendee of the instance. `recordStatus`
 * false: no SCHEDULE-STATUS (another attendee's copy being refreshed).
 */
export function applyReply(
  root: IcalComponent,
  reply: IcalComponent,
  sender?: string,
  recordStatus = true,
): ReplyOutcome {
  const mine = components(root);
  let attendee: string | null = null;
  let changed = false;
  for (const rc of components(reply).values()) {
    const rp = rc.getFirstProperty('attendee');
    if (!rp) return { ok: false, reason: 'the REPLY names no attendee' };
    const address = addressOf(rp);
    if (sender !== undefined && normalizeAddress(sender) !== address)
      return { ok: false, reason: `${sender} replied for ${address}` };
    const key = instanceKey(rc);
    let target = mine.get(key);
    if (!target && key) {
      const master = mine.get('');
      if (!master || !attendeesOf(master).has(address))
        return { ok: false, reason: `no instance ${key} for ${address}` };
      target = overrideFromMaster(master, rc);
      root.addSubcomponent(target);
      mine.set(key, target);
    }
    const p = target ? attendeesOf(target).get(address) : undefined;
    if (!target || !p) return { ok: false, reason: `${address} is not an attendee` };
    const partstat = String(rp.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
    if (String(p.getParameter('partstat') ?? '').toUpperCase() !== partstat) changed = true;
    p.setParameter('partstat', partstat);
    p.removeParameter('rsvp');
    // RFC 6638 §7.3 on the organizer's copy: 2.0 = the reply was processed.
    if (recordStatus) p.setParameter('schedule-status', '2.0');
    attendee = address;
  }
  if (!attendee) return { ok: false, reason: 'the REPLY holds no component' };
  return { ok: true, attendee, changed };
}
