/**
 * The organizer's side of implicit scheduling (RFC 6638 §3.2.1, RFC 5546 §3.2.2 REQUEST and
 * §3.2.5 CANCEL): from the organizer's copy before and after a write, the message each attendee
 * gets and the copy to store.
 */
import type { IcalComponent } from '../ical.js';
import { cleanCopy, itipCalendar, setStamp, type ItipMethod } from './message.js';
import { attendeesOf, components, organizerOf, serverSchedules } from './scheduling-object.js';
import { sequenceOf, setSequence, significantlyChanged } from './significance.js';

interface OrganizerMessage {
  readonly recipient: string;
  readonly method: Extract<ItipMethod, 'REQUEST' | 'CANCEL'>;
  readonly ics: string;
}

export interface OrganizerPlan {
  readonly organizer: string;
  readonly messages: readonly OrganizerMessage[];
  /** Whether the stored copy was changed (SEQUENCE bumped, SCHEDULE-FORCE-SEND taken off). */
  readonly changed: boolean;
}

/** Instance keys each server-scheduled attendee (not the organizer) is in, and whether one forces a send. */
function invitations(root: IcalComponent | null, organizer: string): Map<string, { keys: string[]; force: boolean }> {
  const out = new Map<string, { keys: string[]; force: boolean }>();
  if (!root) return out;
  for (const [key, comp] of components(root)) {
    for (const [address, p] of attendeesOf(comp)) {
      if (address === organizer || !serverSchedules(p)) continue;
      const entry = out.get(address) ?? { keys: [], force: false };
      entry.keys.push(key);
      // RFC 6638 §7.2 SCHEDULE-FORCE-SEND=REQUEST: send even when nothing significant changed.
      if (String(p.getParameter('schedule-force-send') ?? '').toUpperCase() === 'REQUEST') entry.force = true;
      out.set(address, entry);
    }
  }
  return out;
}

/** RFC 6638 §3.2.6: an attendee invited to the master but not to some overrides gets those instances as EXDATEs. */
function requestFor(root: IcalComponent, keys: readonly string[], now: Date): string {
  const all = components(root);
  const comps = keys.map((k) => {
    const copy = cleanCopy(all.get(k) as IcalComponent);
    setStamp(copy, now);
    return copy;
  });
  const master = keys.includes('') ? comps[keys.indexOf('')] : undefined;
  if (master) {
    for (const [key, comp] of all) {
      if (key && !keys.includes(key))
        master.addPropertyWithValue('exdate', comp.getFirstPropertyValue('recurrence-id'));
    }
  }
  return itipCalendar('REQUEST', root, comps);
}

function cancelFor(root: IcalComponent, keys: readonly string[], seq: number, now: Date): string {
  const all = components(root);
  const comps = keys.map((k) => {
    const copy = cleanCopy(all.get(k) as IcalComponent);
    copy.updatePropertyWithValue('status', 'CANCELLED');
    copy.updatePropertyWithValue('sequence', seq);
    setStamp(copy, now);
    return copy;
  });
  return itipCalendar('CANCEL', root, comps);
}

function takeForceSend(root: IcalComponent): boolean {
  let changed = false;
  for (const comp of components(root).values()) {
    for (const p of comp.getAllProperties('attendee')) {
      if (p.getParameter('schedule-force-send') !== undefined) {
        p.removeParameter('schedule-force-send');
        changed = true;
      }
    }
  }
  return changed;
}

/**
 * What an organizer's write sends: a REQUEST to every attendee when the change is significant
 * (and SEQUENCE is bumped in `after` unless the client did), to new attendees and forced ones
 * otherwise; a CANCEL to attendees no longer invited, and to all of them when `after` is null
 * (the event was deleted). `after` is modified in place; null when neither copy has an organizer.
 */
export function planOrganizer(
  before: IcalComponent | null,
  after: IcalComponent | null,
  now: Date,
): OrganizerPlan | null {
  const organizer = organizerOf(after ?? (before as IcalComponent));
  if (!organizer) return null;
  const old = invitations(before, organizer);
  const current = invitations(after, organizer);
  const significant = !before || !after || significantlyChanged(before, after);
  let changed = false;
  let seq = sequenceOf(after ?? (before as IcalComponent));
  if (before && significant && seq <= sequenceOf(before)) {
    seq = sequenceOf(before) + 1;
    if (after) setSequence(after, seq);
    changed = after !== null;
  }
  const messages: OrganizerMessage[] = [];
  if (after) {
    for (const [recipient, inv] of current) {
      const was = old.get(recipient);
      if (significant || !was || inv.force || was.keys.join() !== inv.keys.join()) {
        messages.push({ recipient, method: 'REQUEST', ics: requestFor(after, inv.keys, now) });
      }
    }
    if (takeForceSend(after)) changed = true;
  }
  for (const [recipient, inv] of old) {
    if (!current.has(recipient) && before)
      messages.push({ recipient, method: 'CANCEL', ics: cancelFor(before, inv.keys, seq, now) });
  }
  return { organizer, messages, changed };
}

/** RFC 6638 §7.3: record on each ATTENDEE of the organizer's copy what became of its message. */
export function setScheduleStatus(root: IcalComponent, statuses: ReadonlyMap<string, string>): void {
  for (const comp of components(root).values()) {
    for (const [address, p] of attendeesOf(comp)) {
      const status = statuses.get(address);
      if (status) p.setParameter('schedule-status', status);
    }
  }
}
