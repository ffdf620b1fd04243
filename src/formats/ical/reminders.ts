/**
 * The reminders an object asks for in a window of time: DISPLAY and AUDIO VALARMs (RFC 5545
 * §3.6.6) of its events and tasks, each instance of a recurring one, at the instants
 * alarms.ts computes (relative to start or end, absolute, REPEAT × DURATION). Alarms already
 * acknowledged are left out: ACKNOWLEDGED on the VALARM (RFC 9074 §6) and Thunderbird's
 * X-MOZ-LASTACK on its parent, both naming when the user dismissed them. Tasks that are done
 * remind of nothing.
 */
import { alarmLead, alarmTriggers } from './alarms.js';
import { ICAL, type IcalComponent, type IcalTimezone } from './ical.js';
import { instancesOf, recurrenceSets } from './instances.js';
import { eventSpan } from './time-range.js';
import { parseUtcDateTime, toMs } from './time.js';

export interface Reminder {
  /** Names this trigger of this alarm of this instance, so it fires once. */
  readonly key: string;
  readonly kind: 'event' | 'task';
  readonly action: 'DISPLAY' | 'AUDIO';
  readonly uid: string;
  readonly title: string;
  /** The alarm's DESCRIPTION (DISPLAY), '' when none. */
  readonly description: string;
  readonly location: string;
  /** When to remind (ms). */
  readonly at: number;
  /** The instance's start (an event) or due time (a task), ms; null when it has neither. */
  readonly time: number | null;
  readonly allDay: boolean;
}

const ACTIONS = new Set(['DISPLAY', 'AUDIO']);

/** When an alarm was dismissed: a UTC DATE-TIME (ical.js leaves these properties as text). */
function acknowledgedAt(c: IcalComponent, name: string): number {
  const v = c.getFirstPropertyValue(name);
  if (v instanceof ICAL.Time) return toMs(v, null);
  return typeof v === 'string' ? (parseUtcDateTime(v) ?? -Infinity) : -Infinity;
}

function isDone(c: IcalComponent): boolean {
  return (
    String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'COMPLETED' ||
    c.hasProperty('completed') ||
    String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED'
  );
}

/** The reminders of one calendar object due in [from, to) (ms), in time order. */
export function remindersBetween(
  root: IcalComponent,
  from: number,
  to: number,
  floating: IcalTimezone | null,
): Reminder[] {
  const out: Reminder[] = [];
  for (const [name, kind] of [
    ['vevent', 'event'],
    ['vtodo', 'task'],
  ] as const) {
    for (const set of recurrenceSets(root, name)) {
      const all = [set.master, ...set.overrides].filter((c): c is IcalComponent => c !== null);
      const lead = Math.max(0, ...all.flatMap((c) => c.getAllSubcomponents('valarm').map(alarmLead)));
      if (!all.some((c) => c.getAllSubcomponents('valarm').length > 0)) continue;
      // An instance starting after `to` + the longest lead reminds of nothing in the window.
      for (const inst of instancesOf(set, { floating, until: to + lead })) {
        const c = inst.component;
        if (kind === 'task' && isDone(c)) continue;
        const lastAck = acknowledgedAt(c, 'x-moz-lastack');
        const rid = inst.recurrenceId ? inst.recurrenceId.toString() : '';
        const due = c.getFirstPropertyValue('due');
        const time =
          kind === 'event'
            ? (eventSpan(inst, floating)?.start ?? null)
            : due instanceof ICAL.Time
              ? toMs(due, floating) + inst.shiftMs
              : inst.start
                ? toMs(inst.start, floating)
                : null;
        c.getAllSubcomponents('valarm').forEach((alarm, n) => {
          const action = String(alarm.getFirstPropertyValue('action') ?? '').toUpperCase();
          if (!ACTIONS.has(action)) return;
          const ack = Math.max(lastAck, acknowledgedAt(alarm, 'acknowledged'));
          const id = String(alarm.getFirstPropertyValue('uid') ?? n);
          for (const at of alarmTriggers(alarm, inst, floating)) {
            if (at < from || at >= to || at <= ack) continue;
            out.push({
              key: `${set.uid}|${rid}|${id}|${at}`,
              kind,
              action: action as Reminder['action'],
              uid: set.uid,
              title: String(c.getFirstPropertyValue('summary') ?? ''),
              description: String(alarm.getFirstPropertyValue('description') ?? ''),
              location: String(c.getFirstPropertyValue('location') ?? ''),
              at,
              time,
              allDay: inst.start?.isDate ?? (due instanceof ICAL.Time && due.isDate),
            });
          }
        });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
