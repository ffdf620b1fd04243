/**
 * What a browser notification says (issue #18 item 4): the JSON payload the web app's service
 * worker (web/public/sw.js) turns into a notification. Built from the iCalendar data here, so
 * the push layer and the HTTP layer never parse iCalendar themselves.
 */
import { parseCalendar } from '../../formats/ical/edit-time.js';
import { ICAL, type IcalComponent } from '../../formats/ical/ical.js';
import { components, organizerOf } from '../../formats/ical/itip/index.js';
import { remindersBetween, type Reminder } from '../../formats/ical/reminders.js';
import { toMs } from '../../formats/ical/time.js';

export interface BrowserNotice {
  readonly kind: 'invitation' | 'alarm';
  readonly title: string;
  /** The event's start or the task's due time, ms; null when it has none. */
  readonly start: number | null;
  readonly allDay: boolean;
  readonly location: string;
  /** Invitations: who invites (their address, without mailto:). */
  readonly from?: string;
  /** Names the notification so one for the same thing replaces it (Notification tag). */
  readonly tag: string;
}

/** Text fields are cut to this, so a payload stays far below RFC 8291's 3,993 octets. */
const MAX_TEXT = 200;
const cut = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** The JSON body of a notice, bounded. */
export function noticePayload(n: BrowserNotice): string {
  return JSON.stringify({
    ...n,
    title: cut(n.title),
    location: cut(n.location),
    ...(n.from ? { from: cut(n.from) } : {}),
  });
}

function startOf(c: IcalComponent): { start: number | null; allDay: boolean } {
  const v = c.getFirstPropertyValue('dtstart') ?? c.getFirstPropertyValue('due');
  if (!(v instanceof ICAL.Time)) return { start: null, allDay: false };
  return { start: toMs(v, null), allDay: v.isDate };
}

/**
 * The notice of an iTIP message that arrived in a scheduling inbox (RFC 6638 §4): a REQUEST
 * (a new or changed invitation) notifies, a REPLY or CANCEL does not; null for those and for
 * data that does not parse.
 */
export function invitationNotice(text: string): BrowserNotice | null {
  let root: IcalComponent;
  try {
    root = parseCalendar(text);
  } catch {
    return null;
  }
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST') return null;
  const all = [...components(root).values()];
  const main = all.find((c) => !c.hasProperty('recurrence-id')) ?? all[0];
  if (!main) return null;
  const uid = String(main.getFirstPropertyValue('uid') ?? '');
  return {
    kind: 'invitation',
    title: String(main.getFirstPropertyValue('summary') ?? ''),
    ...startOf(main),
    location: String(main.getFirstPropertyValue('location') ?? ''),
    from: (organizerOf(root) ?? '').replace(/^mailto:/i, ''),
    tag: `invitation:${uid}`,
  };
}

/** The reminders (DISPLAY/AUDIO VALARMs) of a calendar object firing in [from, to); floating times read as UTC. */
export function remindersIn(text: string, from: number, to: number): Reminder[] {
  try {
    return remindersBetween(parseCalendar(text), from, to, null);
  } catch {
    return [];
  }
}

/** The notice of one reminder. */
export function alarmNotice(r: Reminder): BrowserNotice {
  return {
    kind: 'alarm',
    title: r.title,
    start: r.time,
    allDay: r.allDay,
    location: r.location,
    tag: `alarm:${r.key}`,
  };
}
