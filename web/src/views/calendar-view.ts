import { Calendar, type EventInput, type EventApi } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import type ICAL from 'ical.js';
import { expand, formWithTimes, readEvent, type Occurrence } from '../model/events.js';
import { dateInput, dateTimeInput, parseCalendar, wallIn } from '../model/ical-time.js';
import { localZone } from '../model/tz.js';
import type { AppState, Collection } from '../state.js';
import { scopeDialog, showError } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { openEventEditor, saveEdit, type EditTarget } from './event-editor.js';

/** Parsed objects by href, reused while the ETag is unchanged (a month of 1,000 events re-renders without re-parsing). */
const parsed = new Map<string, { etag: string; vcal: ICAL.Component | null }>();

function parsedOf(href: string, etag: string, data: string): ICAL.Component | null {
  const hit = parsed.get(href);
  if (hit && hit.etag === etag) return hit.vcal;
  let vcal: ICAL.Component | null = null;
  try {
    vcal = parseCalendar(data);
    if (!vcal.getFirstSubcomponent('vevent')) vcal = null;
  } catch (err) {
    console.warn(`cannot read ${href}`, err);
  }
  parsed.set(href, { etag, vcal });
  return vcal;
}

interface Props { colKey: string; href: string; occurrence: Occurrence }

export class CalendarView {
  readonly el = h('div.calendar-view');
  private readonly calendar: Calendar;
  private pending = false;

  constructor(private readonly state: AppState) {
    const narrow = window.matchMedia('(max-width: 700px)').matches;
    this.calendar = new Calendar(this.el, {
      plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
      initialView: narrow ? 'listWeek' : 'dayGridMonth',
      headerToolbar: narrow
        ? { left: 'prev,next', center: 'title', right: 'today' }
        : { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay,listMonth' },
      footerToolbar: narrow ? { center: 'dayGridMonth,timeGridWeek,timeGridDay,listWeek' } : false,
      buttonText: { today: 'Today', month: 'Month', week: 'Week', day: 'Day', list: 'Agenda', listWeek: 'Agenda', listMonth: 'Agenda' },
      views: { listMonth: { buttonText: 'Agenda' }, listWeek: { buttonText: 'Agenda' } },
      firstDay: 1,
      height: '100%',
      nowIndicator: true,
      editable: true,
      selectable: true,
      selectMirror: true,
      // A fixed count, not `true`: FullCalendar then needs no height measuring per event (1,000 events stay fast).
      dayMaxEvents: 4,
      moreLinkClick: 'popover',
      navLinks: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      events: (info, ok) => {
        const t = performance.now();
        const events = this.eventsBetween(info.start, info.end);
        (window as unknown as { almanacTiming?: number }).almanacTiming = performance.now() - t;
        ok(events);
      },
      select: (info) => {
        this.calendar.unselect();
        const tz = localZone();
        const fmt = (d: Date): string => (info.allDay ? dateInput({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: 0, minute: 0, second: 0 }) : dateTimeInput(wallIn(d, tz)));
        let end = info.end;
        if (!info.allDay && end.getTime() - info.start.getTime() <= 30 * 60000 && info.view.type.startsWith('timeGrid')) end = new Date(info.start.getTime() + 3600000);
        void openEventEditor(this.state, null, { allDay: info.allDay, start: fmt(info.start), end: fmt(end), tz });
      },
      eventClick: (info) => {
        info.jsEvent.preventDefault();
        const t = this.targetOf(info.event);
        if (t) void openEventEditor(this.state, t, {});
      },
      eventDrop: (info) => void this.moved(info.event, info.revert),
      eventResize: (info) => void this.moved(info.event, info.revert),
      eventDidMount: (info) => {
        const p = info.event.extendedProps as Props;
        info.el.setAttribute('title', [info.event.title, p.occurrence.location].filter(Boolean).join(' — '));
        info.el.setAttribute('data-testid', 'event');
      },
    });
    state.on((c) => {
      if (c.kind === 'collections' || c.collection.dav.kind === 'calendar') this.refresh();
    });
  }

  mount(): void {
    this.calendar.render();
    this.calendar.updateSize();
  }

  /** Re-render at most once per frame however many collections changed. */
  refresh(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.calendar.refetchEvents();
    });
  }

  /** Jump to a date (tests and the agenda use it). */
  gotoDate(d: Date): void {
    this.calendar.gotoDate(d);
  }

  changeView(name: string): void {
    this.calendar.changeView(name);
  }

  private eventsBetween(from: Date, to: Date): EventInput[] {
    const out: EventInput[] = [];
    for (const col of this.state.eventCalendars()) {
      if (!col.visible) continue;
      for (const obj of col.objects.values()) {
        const vcal = parsedOf(`${col.key}|${obj.href}`, obj.etag, obj.data);
        if (!vcal) continue;
        for (const o of expand(vcal, from, to)) {
          out.push({
            id: `${col.key}|${obj.href}|${o.recurrenceId ?? ''}`,
            title: o.title,
            start: o.start,
            end: o.allDay ? o.end : o.end.getTime() === o.start.getTime() ? undefined : o.end,
            allDay: o.allDay,
            backgroundColor: col.color,
            borderColor: col.color,
            editable: !col.dav.readOnly,
            classNames: o.recurring ? ['recurring'] : [],
            extendedProps: { colKey: col.key, href: obj.href, occurrence: o } satisfies Props,
          });
        }
      }
    }
    return out;
  }

  private targetOf(ev: EventApi): EditTarget | null {
    const p = ev.extendedProps as Props;
    const collection = this.state.collections.find((c) => c.key === p.colKey);
    return collection ? { collection, href: p.href, occurrence: p.occurrence } : null;
  }

  /** Drag to move, drag the edge to resize: one occurrence, the following ones, or the series. */
  private async moved(ev: EventApi, revert: () => void): Promise<void> {
    const target = this.targetOf(ev);
    const obj = target?.collection.objects.get(target.href);
    if (!target || !obj || !ev.start) return revert();
    const scope = target.occurrence?.recurring ? await scopeDialog('Move') : 'all';
    if (!scope) return revert();
    const form = readEvent(parseCalendar(obj.data), target.occurrence);
    const end = ev.end ?? new Date(ev.start.getTime() + (ev.allDay ? 86400000 : 3600000));
    try {
      await saveEdit(this.state, target, formWithTimes(form, ev.start, end, ev.allDay), scope);
    } catch (err) {
      revert();
      await showError(err, () => this.state.sync(target.collection as Collection));
    }
  }
}
