/**
 * RFC 6638 §3.2.10.1: a PUT with a matching If-Schedule-Tag-Match takes the server's
 * "inconsequential" changes — the ATTENDEE properties of everyone but the owner, as replies
 * updated them — into the body being stored.
 */
import { ICAL, type IcalComponent } from '../ical.js';
import { addressOf, attendeesOf, components } from './scheduling-object.js';

/** Copy into `incoming` the stored ATTENDEE properties of attendees not in `owner`; true when something changed. */
export function mergeOthersAttendees(
  stored: IcalComponent,
  incoming: IcalComponent,
  owner: ReadonlySet<string>,
): boolean {
  const old = components(stored);
  let changed = false;
  for (const [key, comp] of components(incoming)) {
    const prior = old.get(key);
    if (!prior) continue;
    const priorAttendees = attendeesOf(prior);
    for (const p of comp.getAllProperties('attendee')) {
      const address = addressOf(p);
      const kept = priorAttendees.get(address);
      if (owner.has(address) || !kept || kept.toICALString() === p.toICALString()) continue;
      comp.removeProperty(p);
      comp.addProperty(new ICAL.Property(JSON.parse(JSON.stringify(kept.toJSON())) as unknown[]));
      changed = true;
    }
  }
  return changed;
}
