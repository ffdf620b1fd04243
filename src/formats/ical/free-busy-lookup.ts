/**
 * Asking for attendees' busy time (RFC 6638 §5: a VFREEBUSY REQUEST POSTed to the user's
 * schedule outbox) and reading the answers (RFC 5545 §3.6.4 VFREEBUSY, §3.8.2.6 FREEBUSY, §3.2.9
 * FBTYPE). Pure: the web app's free/busy grid builds and reads these.
 */
import { ICAL, type IcalTime } from './ical.js';
import { newUid } from './edit-time.js';

export interface BusyBlock {
  readonly start: Date;
  readonly end: Date;
  /** BUSY, BUSY-TENTATIVE or BUSY-UNAVAILABLE (FREE periods are not returned). */
  readonly type: string;
}

const utc = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The iTIP request body: ORGANIZER the user, one ATTENDEE per address asked (RFC 5546 §3.3.2). */
export function freeBusyRequest(
  organizer: string,
  attendees: readonly string[],
  start: Date,
  end: Date,
  now = new Date(),
): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//Web//EN',
    'METHOD:REQUEST',
    'BEGIN:VFREEBUSY',
    `UID:${newUid()}`,
    `DTSTAMP:${utc(now)}`,
    `DTSTART:${utc(start)}`,
    `DTEND:${utc(end)}`,
    `ORGANIZER:mailto:${organizer}`,
    ...attendees.map((a) => `ATTENDEE:mailto:${a}`),
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const instant = (t: IcalTime): Date => t.toJSDate();

/** The busy blocks of a VFREEBUSY reply, in time order; unreadable data gives none. */
export function busyBlocks(calendarData: string): BusyBlock[] {
  try {
    return readBusy(calendarData);
  } catch {
    return [];
  }
}

function readBusy(calendarData: string): BusyBlock[] {
  if (!/BEGIN:VCALENDAR/i.test(calendarData)) return [];
  const root = new ICAL.Component(ICAL.parse(calendarData) as never);
  const out: BusyBlock[] = [];
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const p of fb.getAllProperties('freebusy')) {
      const type = String(p.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (type === 'FREE') continue;
      for (const v of p.getValues() as InstanceType<typeof ICAL.Period>[]) {
        const start = instant(v.start);
        const end = v.end ? instant(v.end) : new Date(start.getTime() + (v.duration?.toSeconds() ?? 0) * 1000);
        out.push({ start, end, type });
      }
    }
  }
  return out.sort((a, b) => +a.start - +b.start);
}
