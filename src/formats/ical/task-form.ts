/**
 * A VTODO (RFC 5545 §3.6.2) as a task list shows and edits it, the way Nextcloud Tasks and
 * Thunderbird write it: DTSTART, DUE, PRIORITY, PERCENT-COMPLETE, STATUS/COMPLETED, CATEGORIES
 * and the parent task as RELATED-TO;RELTYPE=PARENT (§3.8.4.5, §3.2.15; RFC 9253).
 */
import {
  dateInput,
  dateTimeInput,
  instant,
  newCalendar,
  newUid,
  parseCalendar,
  parseInput,
  setTime,
  stamp,
  timeFrom,
  utcOf,
  viewerZone,
  wallIn,
} from './edit-time.js';
import { ICAL, type IcalComponent, type IcalProperty, type IcalTime, type IcalTimezone } from './ical.js';
import { localZone } from './intl-zones.js';
import { instancesOf, recurrenceSets } from './instances.js';
import { toMs } from './time.js';

export interface TaskForm {
  title: string;
  description: string;
  /** '' (none), `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm` in the browser's zone (DTSTART). */
  start: string;
  /** Same form (DUE). */
  due: string;
  /** 0 = undefined, 1 = highest … 9 = lowest (RFC 5545 §3.8.1.9). */
  priority: number;
  completed: boolean;
  percent: number;
  categories: string[];
  /** UID of the parent task; '' = a top-level task. */
  parent: string;
}

export interface TaskSummary extends TaskForm {
  readonly uid: string;
  readonly startAt: Date | null;
  readonly dueAt: Date | null;
}

/** The task a form edits when a new one is made. */
export function emptyTask(patch: Partial<TaskForm> = {}): TaskForm {
  return {
    title: '',
    description: '',
    start: '',
    due: '',
    priority: 0,
    completed: false,
    percent: 0,
    categories: [],
    parent: '',
    ...patch,
  };
}

/** The VTODO of an object: the master, not an overridden instance. */
function todoOf(vcal: IcalComponent): IcalComponent | null {
  const all = vcal.getAllSubcomponents('vtodo');
  return all.find((c) => !c.hasProperty('recurrence-id')) ?? all[0] ?? null;
}

/** RELATED-TO with RELTYPE PARENT, the default (RFC 5545 §3.2.15). */
function isParentLink(p: IcalProperty): boolean {
  const t = p.getParameter('reltype');
  return typeof t !== 'string' || t.toUpperCase() === 'PARENT';
}

/** Every CATEGORIES value of a component (the property may repeat and each is a list). */
function categoriesOf(c: IcalComponent): string[] {
  const out: string[] = [];
  for (const p of c.getAllProperties('categories')) {
    for (const v of p.getValues()) {
      const s = String(v).trim();
      if (s && !out.includes(s)) out.push(s);
    }
  }
  return out;
}

function inputOf(t: IcalTime | null, at: Date | null): string {
  if (!t || !at) return '';
  return t.isDate ? dateInput(t) : dateTimeInput(wallIn(at, localZone()));
}

export function readTask(vcal: IcalComponent): TaskSummary | null {
  const t = todoOf(vcal);
  if (!t) return null;
  const time = (name: string): IcalTime | null => {
    const v = t.getFirstPropertyValue(name);
    return v instanceof ICAL.Time ? v : null;
  };
  const start = time('dtstart');
  const due = time('due');
  const startAt = start ? instant(start) : null;
  const dueAt = due ? instant(due) : null;
  const status = String(t.getFirstPropertyValue('status') ?? '').toUpperCase();
  const completed = status === 'COMPLETED' || t.hasProperty('completed');
  const parent = t.getAllProperties('related-to').find(isParentLink);
  return {
    uid: String(t.getFirstPropertyValue('uid') ?? ''),
    title: String(t.getFirstPropertyValue('summary') ?? ''),
    description: String(t.getFirstPropertyValue('description') ?? ''),
    start: inputOf(start, startAt),
    startAt,
    due: inputOf(due, dueAt),
    dueAt,
    priority: Number(t.getFirstPropertyValue('priority') ?? 0) || 0,
    completed,
    percent: Number(t.getFirstPropertyValue('percent-complete') ?? (completed ? 100 : 0)) || 0,
    categories: categoriesOf(t),
    parent: parent ? String(parent.getFirstValue() ?? '') : '',
  };
}

function setInput(t: IcalComponent, name: string, value: string): void {
  if (!value) {
    t.removeAllProperties(name);
    return;
  }
  const isDate = !value.includes('T');
  setTime(t, name, timeFrom(parseInput(value), isDate), isDate ? undefined : localZone());
}

function apply(t: IcalComponent, f: TaskForm): void {
  t.updatePropertyWithValue('summary', f.title.trim() || 'Untitled task');
  if (f.description.trim()) t.updatePropertyWithValue('description', f.description);
  else t.removeAllProperties('description');
  let start = f.start;
  // DTSTART and DUE have the same value type and DUE is later (RFC 5545 §3.8.2.3).
  if (start && f.due && start.includes('T') !== f.due.includes('T'))
    start = f.due.includes('T') ? `${start.slice(0, 10)}T00:00` : start.slice(0, 10);
  if (start && f.due && start > f.due) start = f.due;
  setInput(t, 'dtstart', start);
  t.removeAllProperties('duration');
  setInput(t, 'due', f.due);
  if (f.priority > 0) t.updatePropertyWithValue('priority', Math.min(9, Math.max(1, Math.round(f.priority))));
  else t.removeAllProperties('priority');
  const percent = f.completed ? 100 : Math.min(100, Math.max(0, Math.round(f.percent)));
  t.updatePropertyWithValue('percent-complete', percent);
  if (f.completed) {
    t.updatePropertyWithValue('status', 'COMPLETED');
    if (!t.hasProperty('completed')) t.updatePropertyWithValue('completed', utcOf(new Date()));
  } else {
    t.updatePropertyWithValue('status', percent > 0 ? 'IN-PROCESS' : 'NEEDS-ACTION');
    t.removeAllProperties('completed');
  }
  t.removeAllProperties('categories');
  const categories = [...new Set(f.categories.map((c) => c.trim()).filter(Boolean))];
  if (categories.length) {
    const p = new ICAL.Property('categories', t);
    p.setValues(categories);
    t.addProperty(p);
  }
  for (const p of t.getAllProperties('related-to').filter(isParentLink)) t.removeProperty(p);
  if (f.parent) {
    const p = new ICAL.Property('related-to', t);
    p.setParameter('reltype', 'PARENT');
    p.setValue(f.parent);
    t.addProperty(p);
  }
  t.updatePropertyWithValue('sequence', Number(t.getFirstPropertyValue('sequence') ?? 0) + 1);
  stamp(t);
}

export function createTask(f: TaskForm, uid = newUid()): { uid: string; data: string } {
  const vcal = newCalendar();
  const t = new ICAL.Component('vtodo');
  vcal.addSubcomponent(t);
  t.updatePropertyWithValue('uid', uid);
  t.updatePropertyWithValue('created', utcOf(new Date()));
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

/** A task with a due date as the calendar shows it: at its DUE (all day for a DATE). */
export interface TaskOccurrence {
  readonly uid: string;
  readonly title: string;
  readonly due: Date;
  readonly allDay: boolean;
  readonly completed: boolean;
  /** The instance's RECURRENCE-ID (iCalendar text) of a recurring task, else null. */
  readonly recurrenceId: string | null;
}

/**
 * The DUE instants in [from, to) of an object's tasks, each instance of a recurring task at its
 * own DUE (instances.ts, under the same bounds as events).
 */
export function taskOccurrences(
  vcal: IcalComponent,
  from: Date,
  to: Date,
  floating: IcalTimezone | null = viewerZone(),
): TaskOccurrence[] {
  const out: TaskOccurrence[] = [];
  for (const set of recurrenceSets(vcal, 'vtodo')) {
    try {
      for (const inst of instancesOf(set, { floating, until: to.getTime() })) {
        const c = inst.component;
        const due = c.getFirstPropertyValue('due');
        if (!(due instanceof ICAL.Time)) continue;
        const own = c.getFirstPropertyValue('dtstart');
        const shift =
          inst.start && own instanceof ICAL.Time ? toMs(inst.start, floating) - toMs(own, floating) : inst.shiftMs;
        const at = toMs(due, floating) + shift;
        if (at < from.getTime() || at >= to.getTime()) continue;
        const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
        out.push({
          uid: set.uid,
          title: String(c.getFirstPropertyValue('summary') ?? '') || '(untitled task)',
          // A DATE is a day, the same in every zone (§3.3.4): the viewer's local midnight.
          due: due.isDate ? localDay(due, at - toMs(due, floating)) : new Date(at),
          allDay: due.isDate,
          completed: status === 'COMPLETED' || c.hasProperty('completed'),
          recurrenceId: inst.recurrenceId ? inst.recurrenceId.toString() : null,
        });
      }
    } catch (err) {
      console.warn(`cannot expand task ${set.uid}:`, (err as Error).message);
    }
  }
  return out;
}

/** The local midnight of a DATE moved by `shiftMs` (a recurring task's instance). */
function localDay(t: IcalTime, shiftMs: number): Date {
  return new Date(t.year, t.month - 1, t.day + Math.round(shiftMs / 86_400_000));
}
