import { ICAL, type IcalComponent, type IcalTimezone } from './ical.js';
import type { Instance } from './instances.js';
import { eventSpan } from './time-range.js';
import { toMs } from './time.js';

/** How far (ms) a VALARM's triggers may lie before its anchor, for bounding an expansion. */
export function alarmLead(alarm: IcalComponent): number {
  const v = alarm.getFirstPropertyValue('trigger');
  if (v instanceof ICAL.Duration) return Math.max(0, -v.toSeconds() * 1000);
  return 0;
}

/**
 * The trigger instants of a VALARM for one instance of its parent (RFC 5545 §3.8.6.3, §3.6.6):
 * relative to the instance's start (or end with RELATED=END), or absolute; plus REPEAT × DURATION.
 */
export function alarmTriggers(alarm: IcalComponent, parent: Instance, floating: IcalTimezone | null): number[] {
  const prop = alarm.getFirstProperty('trigger');
  if (!prop) return [];
  const value = prop.getFirstValue();
  let first: number;
  if (value instanceof ICAL.Time) {
    first = toMs(value, floating);
  } else if (value instanceof ICAL.Duration) {
    const related = String(prop.getParameter('related') ?? 'START').toUpperCase();
    let anchor: number | null;
    if (related === 'END') {
      const c = parent.component;
      if (c.name === 'vtodo') {
        const due = c.getFirstPropertyValue('due');
        anchor = due instanceof ICAL.Time ? toMs(due, floating) + parent.shiftMs : null;
        if (anchor === null) anchor = eventSpan(parent, floating)?.end ?? null;
      } else anchor = eventSpan(parent, floating)?.end ?? null;
    } else if (parent.start) anchor = toMs(parent.start, floating);
    else {
      // A VTODO without DTSTART: its only anchor is DUE (as sabre/dav and CalendarServer read it).
      const due = parent.component.getFirstPropertyValue('due');
      anchor = due instanceof ICAL.Time ? toMs(due, floating) : null;
    }
    if (anchor === null) return [];
    first = anchor + value.toSeconds() * 1000;
  } else return [];
  const out = [first];
  const repeat = Number(alarm.getFirstPropertyValue('repeat') ?? 0);
  const every = alarm.getFirstPropertyValue('duration');
  if (repeat > 0 && every instanceof ICAL.Duration) {
    for (let i = 1; i <= Math.min(repeat, 1000); i++) out.push(first + i * every.toSeconds() * 1000);
  }
  return out;
}
