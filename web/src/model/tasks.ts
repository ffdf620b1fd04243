import ICAL from 'ical.js';
import { dateInput, dateTimeInput, instant, newUid, parseCalendar, parseInput, setTime, stamp, timeFrom, tzidOf, utcTime, wallIn } from './ical-time.js';
import { localZone } from './tz.js';

/** A VTODO (RFC 5545 §3.6.2) as the task list shows and edits it. */
export interface TaskForm {
  title: string;
  description: string;
  /** '' (none), `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm` in the browser's zone. */
  due: string;
  /** 0 = undefined, 1 = highest … 9 = lowest (RFC 5545 §3.8.1.9). */
  priority: number;
  completed: boolean;
  percent: number;
}

export interface TaskSummary extends TaskForm {
  readonly uid: string;
  readonly dueAt: Date | null;
}

function todoOf(vcal: ICAL.Component): ICAL.Component | null {
  return vcal.getFirstSubcomponent('vtodo');
}

export function isTask(vcal: ICAL.Component): boolean {
  return todoOf(vcal) !== null;
}

export function readTask(vcal: ICAL.Component): TaskSummary | null {
  const t = todoOf(vcal);
  if (!t) return null;
  const dueProp = t.getFirstProperty('due');
  const due = dueProp?.getFirstValue() as ICAL.Time | undefined;
  const dueAt = due ? instant(due, tzidOf(dueProp)) : null;
  const status = String(t.getFirstPropertyValue('status') ?? '').toUpperCase();
  return {
    uid: String(t.getFirstPropertyValue('uid') ?? ''),
    title: String(t.getFirstPropertyValue('summary') ?? ''),
    description: String(t.getFirstPropertyValue('description') ?? ''),
    due: due && dueAt ? (due.isDate ? dateInput(due) : dateTimeInput(wallIn(dueAt, localZone()))) : '',
    dueAt,
    priority: Number(t.getFirstPropertyValue('priority') ?? 0),
    completed: status === 'COMPLETED' || t.hasProperty('completed'),
    percent: Number(t.getFirstPropertyValue('percent-complete') ?? (status === 'COMPLETED' ? 100 : 0)),
  };
}

function apply(t: ICAL.Component, f: TaskForm): void {
  t.updatePropertyWithValue('summary', f.title.trim() || 'Untitled task');
  if (f.description.trim()) t.updatePropertyWithValue('description', f.description);
  else t.removeAllProperties('description');
  if (f.due) {
    const isDate = !f.due.includes('T');
    setTime(t, 'due', timeFrom(parseInput(f.due), isDate), isDate ? undefined : localZone());
  } else t.removeAllProperties('due');
  if (f.priority > 0) t.updatePropertyWithValue('priority', Math.min(9, Math.max(1, Math.round(f.priority))));
  else t.removeAllProperties('priority');
  const percent = f.completed ? 100 : Math.min(100, Math.max(0, Math.round(f.percent)));
  t.updatePropertyWithValue('percent-complete', percent);
  if (f.completed) {
    t.updatePropertyWithValue('status', 'COMPLETED');
    if (!t.hasProperty('completed')) t.updatePropertyWithValue('completed', utcTime(new Date()));
  } else {
    t.updatePropertyWithValue('status', percent > 0 ? 'IN-PROCESS' : 'NEEDS-ACTION');
    t.removeAllProperties('completed');
  }
  t.updatePropertyWithValue('sequence', Number(t.getFirstPropertyValue('sequence') ?? 0) + 1);
  stamp(t);
}

export function createTask(f: TaskForm): { uid: string; data: string } {
  const vcal = new ICAL.Component('vcalendar');
  vcal.updatePropertyWithValue('prodid', '-//Almanac//Web//EN');
  vcal.updatePropertyWithValue('version', '2.0');
  const t = new ICAL.Component('vtodo');
  vcal.addSubcomponent(t);
  const uid = newUid();
  t.updatePropertyWithValue('uid', uid);
  t.updatePropertyWithValue('created', utcTime(new Date()));
  apply(t, f);
  return { uid, data: vcal.toString() };
}

export function editTask(data: string, f: TaskForm): string {
  const vcal = parseCalendar(data);
  const t = todoOf(vcal);
  if (!t) throw new Error('not a task');
  apply(t, f);
  return vcal.toString();
}
