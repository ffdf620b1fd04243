import type { EventInput } from '@fullcalendar/core';
import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import type { IcalComponent } from '../../../src/formats/ical/ical.js';
import { intlZone } from '../../../src/formats/ical/intl-zones.js';
import { taskOccurrences } from '../../../src/formats/ical/task-form.js';
import { t } from '../i18n/index.js';
import type { AppState } from '../state.js';
import { toGrid } from './display-zone.js';
import './tasks.css';

/**
 * Tasks with a due date in the calendar (as Nextcloud shows them): one entry at each DUE, not
 * draggable, styled apart (tasks.css `.task-due`), opening the task in the task list.
 */
export interface TaskEntryProps {
  rank: 0;
  task: true;
  colKey: string;
  href: string;
}

export function isTaskEntry(p: unknown): p is TaskEntryProps {
  return typeof p === 'object' && p !== null && (p as Partial<TaskEntryProps>).task === true;
}

/** Asks the task list to show and open a task (it listens; the calendar and search send it). */
export const OPEN_TASK = 'almanac:open-task';

export function openTask(colKey: string, href: string): void {
  window.dispatchEvent(new CustomEvent(OPEN_TASK, { detail: { colKey, href } }));
}

/** Parsed task objects by collection and href, reused while the ETag is unchanged. */
const parsed = new Map<string, { etag: string; vcal: IcalComponent | null }>();

function parsedTask(key: string, etag: string, data: string): IcalComponent | null {
  const hit = parsed.get(key);
  if (hit && hit.etag === etag) return hit.vcal;
  let vcal: IcalComponent | null = null;
  if (data.includes('VTODO') && data.includes('DUE')) {
    try {
      vcal = parseCalendar(data);
    } catch (err) {
      console.warn(`cannot read ${key}`, err);
    }
  }
  parsed.set(key, { etag, vcal });
  return vcal;
}

/** The calendar's entries (grid dates in `zone`, display-zone.ts) for due tasks in [from, to) of the visible task lists. */
export function taskEvents(state: AppState, from: Date, to: Date, zone: string): EventInput[] {
  const out: EventInput[] = [];
  const floating = intlZone(zone);
  for (const col of state.taskLists()) {
    if (!col.visible) continue;
    for (const obj of col.objects.values()) {
      const vcal = parsedTask(`${col.key}|${obj.href}`, obj.etag, obj.data);
      if (!vcal) continue;
      for (const o of taskOccurrences(vcal, from, to, floating)) {
        out.push({
          id: `task|${col.key}|${obj.href}|${o.recurrenceId ?? ''}`,
          title: `${o.completed ? '☑' : '☐'} ${o.title}`,
          start: toGrid(o.due, o.allDay, zone),
          allDay: o.allDay,
          editable: false,
          backgroundColor: 'transparent',
          borderColor: col.color,
          textColor: 'var(--text)',
          classNames: ['task-due', ...(o.completed ? ['done'] : [])],
          extendedProps: { rank: 0, task: true, colKey: col.key, href: obj.href } satisfies TaskEntryProps,
        });
      }
    }
  }
  return out;
}

/** What the calendar's eventDidMount does for a task entry. */
export function mountTaskEntry(el: HTMLElement, title: string): void {
  el.setAttribute('data-testid', 'task-due');
  el.setAttribute('title', t('tasks.dueInCalendar', { title: title.slice(2) }));
}
