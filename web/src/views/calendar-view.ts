import { Calendar, type EventInput, type EventApi } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import { dateInput, dateTimeInput, parseCalendar, wallIn } from '../../../src/formats/ical/edit-time.js';
import { formWithTimes, readEvent } from '../../../src/formats/ical/event-form.js';
import type { IcalComponent } from '../../../src/formats/ical/ical.js';
import { localZone } from '../../../src/formats/ical/intl-zones.js';
import { expand, type Occurrence } from '../../../src/formats/ical/occurrences.js';
import type { AppState, Collection } from '../state.js';
import { modal, scopeDialog, showError } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { repairFullCalendarA11y } from '../ui/fullcalendar-a11y.js';
import { openEventEditor, saveEdit, type EditTarget } from './event-editor.js';

/** Parsed objects by href, reused while the ETag is unchanged (a month of 1,000 events re-renders without re-parsing). */
const parsed = new Map<string, { etag: string; vcal: IcalComponent | null }>();

function parsedOf(href: string, etag: string, data: string): IcalComponent | null {
  const hit = parsed.get(href);
  if (hit && hit.etag === etag) return hit.vcal;
  let vcal: IcalComponent | null = null;
  try {
    vcal = parseCalendar(data);
    if (!vcal.getFirstSubcomponent('vevent')) vcal = null;
  } catch (err) {
    console.warn(`cannot read ${href}`, err);
  }
  parsed.set(href, { etag, vcal });
  return vcal;
}

interface Props { colKey: string; href: string; occurrence: Occurrence; rank: 0 }
/** The stand-in for a day's overflow in the month grid ("+33 more"): what FullCalendar's own link would show. */
interface MoreProps { rank: 1; day: Date; hidden: number; all: EventInput[] }

/** Rows a day cell of the month grid shows before "+N more". */
const DAY_MAX_EVENTS = 4;
/** FullCalendar's default eventOrder, with the stand-ins last (`rank`). */
const EVENT_ORDER = 'rank,start,-duration,allDay,title';

const dayKey = (d: Date): string => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
const startOfDay = (d: Date): Date => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/** The order FullCalendar gives a day's events (EVENT_ORDER without the rank). */
function compareEvents(a: EventInput, b: EventInput): number {
  const as = (a.start as Date).getTime();
  const bs = (b.start as Date).getTime();
  if (as !== bs) return as - bs;
  const dur = (e: EventInput): number => (e.end ? (e.end as Date).getTime() - (e.start as Date).getTime() : 0);
  const dd = dur(b) - dur(a);
  if (dd !== 0) return dd;
  if (a.allDay !== b.allDay) return a.allDay ? -1 : 1;
  return String(a.title ?? '').localeCompare(String(b.title ?? ''));
}

/** The month grid's range: the only view that shows six whole weeks (fixedWeekCount). */
function isMonthGrid(from: Date, to: Date): boolean {
  return Math.round((to.getTime() - from.getTime()) / 86400000) >= 35;
}

/**
 * What the month grid needs: every event that spans days, and per day only the single-day
 * events its cell shows, then one "+N more" stand-in for the rest. FullCalendar renders (and
 * measures) every event it is given, even the ones hidden behind its "+N more" link, so a month
 * of 1,000 events would otherwise mean 1,000 elements laid out for about 150 visible.
 */
export function limitPerDay(events: EventInput[], max = DAY_MAX_EVENTS): EventInput[] {
  const out: EventInput[] = [];
  const days = new Map<string, { day: Date; spanning: number; single: EventInput[] }>();
  const dayOf = (d: Date): { day: Date; spanning: number; single: EventInput[] } => {
    const k = dayKey(d);
    let e = days.get(k);
    if (!e) days.set(k, (e = { day: startOfDay(d), spanning: 0, single: [] }));
    return e;
  };
  for (const ev of events) {
    const s = ev.start as Date;
    const last = ev.end ? new Date((ev.end as Date).getTime() - 1) : s;
    if (dayKey(s) === dayKey(last) || last < s) {
      dayOf(s).single.push(ev);
      continue;
    }
    out.push(ev);
    for (let d = startOfDay(s); d <= last; d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)) dayOf(d).spanning++;
  }
  for (const { day, spanning, single } of days.values()) {
    if (spanning + single.length <= max) {
      out.push(...single);
      continue;
    }
    single.sort(compareEvents);
    const room = Math.max(0, max - spanning);
    out.push(...single.slice(0, room));
    const more: MoreProps = { rank: 1, day, hidden: single.length - room, all: single };
    out.push({
      id: `more|${dayKey(day)}`, title: `+${more.hidden} more`, start: day, allDay: true, editable: false,
      display: 'block', classNames: ['more-stub'], backgroundColor: 'transparent', borderColor: 'transparent', extendedProps: more,
    });
  }
  return out;
}

export class CalendarView {
  readonly el = h('div.calendar-view');
  private readonly calendar: Calendar;
  private pending = false;
  /** The last answer to FullCalendar, until a collection changes (switching views over one range costs nothing). */
  private memo: { key: string; events: EventInput[] } | null = null;
  private version = 0;

  constructor(private readonly state: AppState) {
    const narrow = window.matchMedia('(max-width: 700px)').matches;
    this.calendar = new Calendar(this.el, {
      plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
      initialView: narrow ? 'listWeek' : 'dayGridMonth',
      headerToolbar: narrow
        ? { left: 'prev,next', center: 'title', right: 'today' }
        : { left: 'newEvent prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay,listMonth' },
      customButtons: { newEvent: { text: '+ New event', hint: 'New event', click: () => this.newEvent() } },
      footerToolbar: narrow ? { center: 'dayGridMonth,timeGridWeek,timeGridDay,listWeek' } : false,
      buttonText: { today: 'Today', month: 'Month', week: 'Week', day: 'Day', list: 'Agenda', listWeek: 'Agenda', listMonth: 'Agenda' },
      views: { listMonth: { buttonText: 'Agenda' }, listWeek: { buttonText: 'Agenda' } },
      firstDay: 1,
      height: '100%',
      nowIndicator: true,
      editable: true,
      selectable: true,
      selectMirror: true,
      // The month grid gets at most DAY_MAX_EVENTS events per day and a "+N more" stand-in
      // (limitPerDay); FullCalendar's own limit (one more, for the stand-in) is only a safety net
      // for days crowded with multi-day events.
      dayMaxEvents: DAY_MAX_EVENTS + 1,
      moreLinkClick: 'popover',
      eventOrder: EVENT_ORDER,
      // Every view asks again: the month grid's trimmed list must not serve the agenda or a week.
      lazyFetching: false,
      navLinks: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      events: (info, ok) => {
        const t = performance.now();
        const key = `${info.start.getTime()}|${info.end.getTime()}|${this.version}`;
        if (this.memo?.key !== key) {
          const all = this.eventsBetween(info.start, info.end);
          this.memo = { key, events: isMonthGrid(info.start, info.end) ? limitPerDay(all) : all };
        }
        const events = this.memo.events;
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
        const more = info.event.extendedProps as Partial<MoreProps>;
        if (more.rank === 1) return void this.showDay(more as MoreProps);
        const t = this.targetOf(info.event);
        if (t) void openEventEditor(this.state, t, {});
      },
      eventDrop: (info) => void this.moved(info.event, info.revert),
      eventResize: (info) => void this.moved(info.event, info.revert),
      eventDidMount: (info) => {
        if ((info.event.extendedProps as Partial<MoreProps>).rank === 1) {
          info.el.setAttribute('data-testid', 'more');
          info.el.setAttribute('role', 'button');
          return;
        }
        // FullCalendar's selection mirror (the block drawn while a range is selected in the week
        // and day grids) is an event of its own, without an occurrence: nothing to label.
        const p = info.event.extendedProps as Partial<Props>;
        if (!p.occurrence) return;
        info.el.setAttribute('title', [info.event.title, p.occurrence.location].filter(Boolean).join(' — '));
        info.el.setAttribute('data-testid', 'event');
      },
    });
    // Phones get a floating + (the toolbar has no room; a long press is not discoverable).
    repairFullCalendarA11y(this.el);
    this.el.append(h('button.fab', { type: 'button', 'aria-label': 'New event', title: 'New event', onclick: () => this.newEvent() }, '+'));
    state.on((c) => {
      if (c.kind === 'collections' || c.collection.dav.kind === 'calendar') {
        this.version++;
        this.refresh();
      }
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

  /**
   * The "New event" button (and the n shortcut): a one-hour event at the next full hour when
   * today is on screen, else at 09:00 on the first day shown.
   */
  newEvent(): void {
    const view = this.calendar.view;
    const now = new Date();
    const tz = localZone();
    let start: Date;
    if (now >= view.currentStart && now < view.currentEnd) start = new Date(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours() + 1);
    else start = new Date(view.currentStart.getFullYear(), view.currentStart.getMonth(), view.currentStart.getDate(), 9);
    const end = new Date(start.getTime() + 3600000);
    void openEventEditor(this.state, null, { allDay: false, start: dateTimeInput(wallIn(start, tz)), end: dateTimeInput(wallIn(end, tz)), tz });
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
            extendedProps: { colKey: col.key, href: obj.href, occurrence: o, rank: 0 } satisfies Props,
          });
        }
      }
    }
    return out;
  }

  /** The whole day behind a "+N more" stand-in, as FullCalendar's popover would list it. */
  private showDay(more: MoreProps): void {
    const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
    const title = more.day.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
    const list = h('ul.day-list', {}, ...more.all.map((ev) => {
      const p = ev.extendedProps as Props;
      return h('li', {}, h('button.link', {
        type: 'button', 'data-testid': 'day-event',
        onclick: () => {
          dialog.el.close();
          const t = this.targetFor(p);
          if (t) void openEventEditor(this.state, t, {});
        },
      }, h('span.swatch', { style: `background:${String(ev.backgroundColor ?? '')}` }), ev.allDay ? '' : `${time.format(ev.start as Date)} `, String(ev.title ?? '')));
    }));
    const dialog = modal(title, list, [{ label: 'Close', value: 'close' }]);
  }

  private targetOf(ev: EventApi): EditTarget | null {
    return this.targetFor(ev.extendedProps as Props);
  }

  private targetFor(p: Props): EditTarget | null {
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
