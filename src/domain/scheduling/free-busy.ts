/**
 * Busy time of a user of this server (RFC 6638 §5, for a POST to an outbox): every calendar of
 * their home but derived ones and those marked CALDAV:schedule-calendar-transp transparent
 * (§9.1); in them TRANSP:TRANSPARENT and cancelled events are free (RFC 4791 §7.10) and so are
 * events the user declined.
 */
import type { BoundedRange, BusyPeriod } from '../../formats/ical/freebusy.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import { components, findAttendeeIn } from '../../formats/ical/itip/index.js';
import { timezoneFromCalendar } from '../../formats/ical/time.js';
import type { ObjectsReader } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { busyTimeOf } from '../calendar/busy-time.js';
import type { ObjectCache } from '../calendar/object-cache.js';
import { calendarSettings } from '../calendar/settings.js';
import { userAddresses } from './addresses.js';

const TRANSP = '{urn:ietf:params:xml:ns:caldav}schedule-calendar-transp';

async function countsForBusy(reader: ObjectsReader, calendar: Resource): Promise<boolean> {
  if (calendar.collectionType !== 'calendar' || calendar.derived) return false;
  const transp = (await reader.getProperties(calendar.id)).find((p) => p.name === TRANSP);
  return !transp || !/transparent/.test(transp.xml);
}

/** Every scheduled component names the user as an attendee who declined. */
function declined(root: IcalComponent, me: ReadonlySet<string>): boolean {
  const comps = [...components(root).values()];
  return comps.length > 0 && comps.every((c) => findAttendeeIn(c, me)?.partstat === 'DECLINED');
}

async function floatingOf(
  reader: ObjectsReader,
  calendar: Resource,
): Promise<ReturnType<typeof timezoneFromCalendar> | null> {
  const { timezone } = await calendarSettings(reader, calendar);
  try {
    return timezone ? timezoneFromCalendar(timezone) : null;
  } catch {
    return null;
  }
}

export async function busyPeriodsOf(
  reader: ObjectsReader,
  user: User,
  range: BoundedRange,
  objects: ObjectCache,
): Promise<BusyPeriod[]> {
  const home = await reader.getResource(`/calendars/${user.name}`);
  if (!home) return [];
  const me = userAddresses(user);
  const periods: BusyPeriod[] = [];
  for (const calendar of await reader.listChildren(home.id)) {
    if (!(await countsForBusy(reader, calendar))) continue;
    const floating = await floatingOf(reader, calendar);
    const found = await busyTimeOf(reader, calendar.id, range, floating, objects, {
      free: (root) => declined(root, me),
    });
    for (const p of found) periods.push(p);
  }
  return periods;
}
