import { Calendar, type CustomButtonInput, type EventInput, type EventApi } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import timeGridPlugin from '@fullcalendar/timegrid';
import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import { formWithTimes, readEvent } from '../../../src/formats/ical/event-form.js';
import type { IcalComponent } from '../../../src/formats/ical/ical.js';
import { allZones, intlZone, isKnownZone, localZone } from '../../../src/formats/ical/intl-zones.js';
import { expand, type Occurrence } from '../../../src/formats/ical/occurrences.js';
import type { AppState, Collection } from '../state.js';
import { modal, scopeDialog, showError, toast } from '../ui/dialog.js';
import { field, h } from '../ui/dom.js';
import { repairFullCalendarA11y } from '../ui/fullcalendar-a11y.js';
import { firstDayOfWeek, formatDayHeading, fullCalendarLocale, locale, t, uses12HourClock } from '../i18n/index.js';
import { pickDate } from './date-picker.js';
import { displayZone, fromGrid, gridInput, setDisplayZone, toGrid } from './display-zone.js';
import { isTaskEntry, mountTaskEntry, openTask, taskEvents } from './calendar-tasks.js';
import { openEventEditor, saveEdit, type EditTarget } from './event-editor.js';
import { dayString } from './mini-month.js';
import { installShortcuts, type Shortcut } from './shortcuts.js';
import { yearViewPlugin } from './year-view.js';

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

interface Props {
  colKey: string;
  href: string;
  occurrence: Occurrence;
  rank: 0;
}
/** The stand-in for a day's overflow in the month grid ("+33 more"): what FullCalendar's own link would show. */
interface MoreProps {
  rank: 1;
  day: Date;
  hidden: number;
  all: EventInput[];
}

/** Rows a day cell of the month grid shows before "+N more". */
const DAY_MAX_EVENTS = 4;
/** FullCalendar's default eventOrder, with the stand-ins last (`rank`). */
const EVENT_ORDER = 'rank,start,-duration,allDay,title';

// FullCalendar runs in UTC on grid dates (display-zone.ts): a day is its UTC date.
const DAY_MS = 86400000;
const dayKey = (d: Date): string => `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

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

/** The month grid's range: the only view that shows six whole weeks (fixedWeekCount); the year is longer. */
function isMonthGrid(from: Date, to: Date): boolean {
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  return days >= 35 && days <= 42;
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
    for (let d = startOfDay(s); d <= last; d = new Date(d.getTime() + DAY_MS)) dayOf(d).spanning++;
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
      id: `more|${dayKey(day)}`,
      title: t('calendar.moreEvents', { count: more.hidden }),
      start: day,
      allDay: true,
      editable: false,
      display: 'block',
      classNames: ['more-stub'],
      backgroundColor: 'transparent',
      borderColor: 'transparent',
      extendedProps: more,
    });
  }
  return out;
}

/** Timed events up to this long show time and title on one line in the week and day grids. */
const SHORT_MS = 45 * 60000;

/** A zone's short name for the phone's toolbar ("CET", "GMT-4"). */
function zoneAbbreviation(zone: string, loc: string): string {
  try {
    return (
      new Intl.DateTimeFormat(loc, { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value ?? zone
    );
  } catch {
    return zone;
  }
}

function isShort(ev: EventApi, viewType: string): boolean {
  return (
    !ev.allDay &&
    !!ev.start &&
    !!ev.end &&
    ev.end.getTime() - ev.start.getTime() <= SHORT_MS &&
    viewType.startsWith('timeGrid')
  );
}

export class CalendarView {
  readonly el = h('div.calendar-view');
  private readonly calendar: Calendar;
  /** The locale the app writes dates in (i18n: the chosen language, the browser's region). */
  private readonly loc = { locale: locale(), firstDay: firstDayOfWeek(), hour12: uses12HourClock() };
  private readonly narrow = window.matchMedia('(max-width: 700px)').matches;
  /** A grid date's time, as FullCalendar writes it (grid dates are UTC). */
  private readonly timeFormat = new Intl.DateTimeFormat(this.loc.locale, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: this.loc.hour12,
    timeZone: 'UTC',
  });
  private pending = false;
  /** The last answer to FullCalendar, until a collection changes (switching views over one range costs nothing). */
  private memo: { key: string; events: EventInput[] } | null = null;
  private version = 0;

  constructor(private readonly state: AppState) {
    const narrow = this.narrow;
    const { locale: loc, firstDay } = this.loc;
    // FullCalendar in the app's language and locale (week headers, titles, first day of the
    // week, 12/24-hour clock): en-GB and de-DE no longer get US-style headers.
    const fcLocale = fullCalendarLocale();
    this.calendar = new Calendar(this.el, {
      ...fcLocale,
      plugins: [
        dayGridPlugin,
        timeGridPlugin,
        listPlugin,
        interactionPlugin,
        yearViewPlugin({
          firstDay,
          locale: loc,
          today: () => toGrid(new Date(), false),
          onPick: (day) => this.calendar.changeView('timeGridDay', day),
          describe: (count) => t('calendar.eventCount', { count }),
        }),
      ],
      initialView: narrow ? 'listWeek' : 'dayGridMonth',
      headerToolbar: narrow
        ? { left: 'prev,next', center: 'title', right: 'today' }
        : {
            left: 'newEvent prev,next today',
            center: 'title',
            right: 'dayGridMonth,timeGridWeek,timeGridDay,year,listMonth zone',
          },
      footerToolbar: narrow ? { center: 'dayGridMonth,timeGridWeek,timeGridDay,year,listWeek', right: 'zone' } : false,
      customButtons: this.buttons(),
      buttonText: { ...fcLocale.buttonText, year: t('calendar.year') },
      views: {
        listMonth: { buttonText: t('calendar.agenda') },
        listWeek: { buttonText: t('calendar.agenda') },
        year: { buttonText: t('calendar.year'), titleFormat: { year: 'numeric' } },
      },
      // Times in the chosen display zone (display-zone.ts).
      timeZone: 'UTC',
      now: () => toGrid(new Date(), false),
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
      events: (info, ok) => {
        const t = performance.now();
        const key = `${info.start.getTime()}|${info.end.getTime()}|${this.version}|${displayZone()}`;
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
        let end = info.end;
        if (!info.allDay && end.getTime() - info.start.getTime() <= 30 * 60000 && info.view.type.startsWith('timeGrid'))
          end = new Date(info.start.getTime() + 3600000);
        void openEventEditor(this.state, null, {
          allDay: info.allDay,
          start: gridInput(info.start, info.allDay),
          end: gridInput(end, info.allDay),
          tz: displayZone(),
        });
      },
      eventClick: (info) => {
        info.jsEvent.preventDefault();
        const more = info.event.extendedProps as Partial<MoreProps>;
        if (more.rank === 1) return void this.showDay(more as MoreProps);
        const props: unknown = info.event.extendedProps;
        if (isTaskEntry(props)) return openTask(props.colKey, props.href);
        const t = this.targetOf(info.event);
        if (t) void openEventEditor(this.state, t, {});
      },
      // The title is the "Go to date" button (a mini month), as in Google Calendar.
      datesSet: () => {
        const title = this.el.querySelector('.fc-toolbar-title');
        title?.setAttribute('role', 'button');
        title?.setAttribute('tabindex', '0');
        title?.setAttribute('aria-label', t('calendar.goToDateOf', { title: title.textContent ?? '' }));
        title?.setAttribute('title', t('calendar.goToDate'));
      },
      eventDrop: (info) => void this.moved(info.event, info.revert),
      eventResize: (info) => void this.moved(info.event, info.revert),
      eventClassNames: (info) => (isShort(info.event, info.view.type) ? ['short-event'] : []),
      // A short event in the week/day grid: its start time and title on one line (the range
      // "10:00 - 10:30" left no room for the title).
      eventContent: (info) => {
        if (!isShort(info.event, info.view.type) || !info.event.start) return true;
        return {
          domNodes: [
            h(
              'div.fc-event-main-frame',
              {},
              h('div.fc-event-time', {}, this.timeFormat.format(info.event.start)),
              h('div.fc-event-title-container', {}, h('div.fc-event-title', {}, info.event.title)),
            ),
          ],
        };
      },
      eventDidMount: (info) => {
        if ((info.event.extendedProps as Partial<MoreProps>).rank === 1) {
          info.el.setAttribute('data-testid', 'more');
          info.el.setAttribute('role', 'button');
          return;
        }
        if (isTaskEntry(info.event.extendedProps)) return mountTaskEntry(info.el, info.event.title);
        // FullCalendar's selection mirror (the block drawn while a range is selected in the week
        // and day grids) is an event of its own, without an occurrence: nothing to label.
        const p = info.event.extendedProps as Partial<Props>;
        if (!p.occurrence) return;
        info.el.setAttribute(
          'title',
          [
            info.event.title,
            p.occurrence.location,
            info.event.classNames.includes('pending') ? t('common.pending') : '',
          ]
            .filter(Boolean)
            .join(' — '),
        );
        info.el.setAttribute('data-testid', 'event');
        // The agenda shows the description with its line breaks (white-space: pre-line).
        if (info.view.type.startsWith('list')) {
          const text = this.descriptionOf(p as Props);
          const cell = info.el.querySelector('.fc-list-event-title');
          if (text && cell) cell.append(h('div.event-description', {}, text));
        }
      },
    });
    repairFullCalendarA11y(this.el);
    // Phones get a floating + (the toolbar has no room; a long press is not discoverable).
    this.el.append(
      h(
        'button.fab',
        {
          type: 'button',
          'aria-label': t('calendar.newEvent'),
          title: t('calendar.newEvent'),
          onclick: () => this.newEvent(),
        },
        '+',
      ),
    );
    installShortcuts(this.shortcuts(), () => this.el.isConnected);
    this.el.addEventListener('click', (e) => {
      if ((e.target as Element).closest('.fc-toolbar-title')) void this.goToDate();
    });
    this.el.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && (e.target as Element).closest('.fc-toolbar-title')) {
        e.preventDefault();
        void this.goToDate();
      }
    });
    state.on((c) => {
      if (c.kind === 'collections' || (c.kind === 'objects' && c.collection.dav.kind === 'calendar')) {
        this.version++;
        this.refresh();
      }
    });
  }

  /** The toolbar's own buttons: New event and the display time zone. */
  private buttons(): Record<string, CustomButtonInput> {
    const zone = displayZone();
    return {
      newEvent: { text: t('calendar.newEventButton'), hint: t('calendar.newEvent'), click: () => this.newEvent() },
      zone: {
        text: this.narrow
          ? zoneAbbreviation(zone, this.loc.locale)
          : t('calendar.zoneButton', { city: zone.split('/').pop()!.replace(/_/g, ' ') }),
        hint: t('calendar.zoneHint', { zone }),
        click: () => void this.chooseZone(),
      },
    };
  }

  /** Keyboard shortcuts of the calendar (Nextcloud's keys); `?` lists them. */
  private shortcuts(): Shortcut[] {
    const view = (name: string) => () => this.calendar.changeView(name);
    return [
      { keys: ['t'], label: t('shortcuts.today'), run: () => this.calendar.today() },
      { keys: ['n'], label: t('calendar.newEvent'), run: () => this.newEvent() },
      { keys: ['d'], label: t('shortcuts.dayView'), run: view('timeGridDay') },
      { keys: ['w'], label: t('shortcuts.weekView'), run: view('timeGridWeek') },
      { keys: ['m'], label: t('shortcuts.monthView'), run: view('dayGridMonth') },
      { keys: ['y'], label: t('shortcuts.yearView'), run: view('year') },
      { keys: ['a'], label: t('calendar.agenda'), run: view('listMonth') },
      { keys: ['ArrowLeft', 'k'], label: t('shortcuts.previous'), run: () => this.calendar.prev() },
      { keys: ['ArrowRight', 'j'], label: t('shortcuts.next'), run: () => this.calendar.next() },
      { keys: ['g'], label: t('calendar.goToDate'), run: () => void this.goToDate() },
      {
        keys: ['/'],
        label: t('shortcuts.search'),
        run: () => document.querySelector<HTMLInputElement>('input[type=search], [role=search] input')?.focus(),
      },
    ];
  }

  /** The type of the view on screen (tests and the shortcuts use it). */
  get viewType(): string {
    return this.calendar.view.type;
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
   * today is on screen, else at 09:00 on the first day shown; in the display zone.
   */
  newEvent(): void {
    const view = this.calendar.view;
    const now = toGrid(new Date(), false);
    const start =
      now >= view.currentStart && now < view.currentEnd
        ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours() + 1))
        : new Date(view.currentStart.getTime() + 9 * 3600000);
    const end = new Date(start.getTime() + 3600000);
    void openEventEditor(this.state, null, {
      allDay: false,
      start: gridInput(start, false),
      end: gridInput(end, false),
      tz: displayZone(),
    });
  }

  /** "Go to date": the mini month picker, then the main view moves there. */
  private async goToDate(): Promise<void> {
    const day = await pickDate({
      selected: dayString(this.calendar.getDate()),
      today: dayString(toGrid(new Date(), false)),
      firstDay: this.loc.firstDay,
      locale: this.loc.locale,
      marked: (year, month) =>
        this.markedDays(new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 1))),
    });
    if (day) this.calendar.gotoDate(day);
  }

  /** Days (grid dates, `YYYY-MM-DD`) in [from, to) on which events are shown, with how many. */
  private markedDays(from: Date, to: Date): Map<string, number> {
    const out = new Map<string, number>();
    for (const ev of this.eventsBetween(from, to)) {
      const s = ev.start as Date;
      const e = (ev.end as Date | undefined) ?? s;
      for (
        let d = startOfDay(s);
        d < e || d.getTime() === startOfDay(s).getTime();
        d = new Date(d.getTime() + DAY_MS)
      ) {
        if (d >= from && d < to) out.set(dayString(d), (out.get(dayString(d)) ?? 0) + 1);
        if (d.getTime() - s.getTime() > 366 * DAY_MS) break;
      }
    }
    return out;
  }

  /** The display time zone dialog: any IANA zone, or the browser's own. */
  private async chooseZone(): Promise<void> {
    const input = h('input', {
      type: 'text',
      name: 'displayZone',
      value: displayZone(),
      list: 'display-zone-list',
      autocomplete: 'off',
    });
    const body = h(
      'div',
      {},
      h('p.hint', {}, t('calendar.zoneExplain', { zone: localZone() })),
      field(t('event.timeZone'), input),
      h('datalist#display-zone-list', {}, ...allZones().map((z) => h('option', { value: z }))),
    );
    const { result } = modal(t('calendar.zoneTitle'), body, [
      { label: t('dialog.cancel'), value: 'cancel' },
      { label: t('calendar.zoneBrowser'), value: 'browser' },
      { label: t('common.save'), value: 'save', kind: 'primary' },
    ]);
    const v = await result;
    if (v === 'browser') setDisplayZone(null);
    else if (v === 'save') {
      const zone = input.value.trim();
      if (!isKnownZone(zone)) return toast(t('calendar.zoneUnknown', { zone }), 'error');
      setDisplayZone(zone);
    } else return;
    this.version++;
    this.calendar.setOption('customButtons', this.buttons());
    this.calendar.setOption('now', () => toGrid(new Date(), false));
    this.calendar.refetchEvents();
  }

  /** Jump to a date (tests and the agenda use it). */
  gotoDate(d: Date): void {
    this.calendar.gotoDate(d);
  }

  changeView(name: string): void {
    this.calendar.changeView(name);
  }

  /** Events between two grid dates, as grid dates (a day more on each side: all-day items are dates in every zone). */
  private eventsBetween(gridFrom: Date, gridTo: Date): EventInput[] {
    const out: EventInput[] = [];
    const zone = displayZone();
    const from = new Date(fromGrid(gridFrom, false, zone).getTime() - DAY_MS);
    const to = new Date(fromGrid(gridTo, false, zone).getTime() + DAY_MS);
    // Floating times (RFC 5545 §3.3.5 form #1) are the same wall clock wherever one is: the display zone's.
    const floating = intlZone(zone);
    for (const col of this.state.eventCalendars()) {
      if (!col.visible) continue;
      for (const obj of col.objects.values()) {
        const vcal = parsedOf(`${col.key}|${obj.href}`, obj.etag, obj.data);
        if (!vcal) continue;
        for (const o of expand(vcal, from, to, floating)) {
          const start = toGrid(o.start, o.allDay, zone);
          const end = toGrid(o.end, o.allDay, zone);
          out.push({
            id: `${col.key}|${obj.href}|${o.recurrenceId ?? ''}`,
            title: o.title,
            start,
            end: o.allDay ? end : end.getTime() === start.getTime() ? undefined : end,
            allDay: o.allDay,
            backgroundColor: col.color,
            borderColor: col.color,
            editable: !col.dav.readOnly,
            classNames: [...(o.recurring ? ['recurring'] : []), ...(obj.pending ? ['pending'] : [])],
            extendedProps: { colKey: col.key, href: obj.href, occurrence: o, rank: 0 } satisfies Props,
          });
        }
      }
    }
    out.push(...taskEvents(this.state, from, to, zone));
    return out;
  }

  /** An event's DESCRIPTION (of its override, if it has one), for the agenda. */
  private descriptionOf(p: Props): string {
    const col = this.state.collections.find((c) => c.key === p.colKey);
    const obj = col?.objects.get(p.href);
    const vcal = col && obj ? parsedOf(`${col.key}|${obj.href}`, obj.etag, obj.data) : null;
    if (!vcal) return '';
    const events = vcal.getAllSubcomponents('vevent');
    const rid = p.occurrence.recurrenceId;
    const own = rid ? events.find((c) => String(c.getFirstPropertyValue('recurrence-id') ?? '') === rid) : undefined;
    const comp = own ?? events.find((c) => !c.hasProperty('recurrence-id')) ?? events[0];
    const text = comp?.getFirstPropertyValue('description');
    return typeof text === 'string' ? text : '';
  }

  /** The whole day behind a "+N more" stand-in, as FullCalendar's popover would list it. */
  private showDay(more: MoreProps): void {
    const time = this.timeFormat;
    const title = formatDayHeading(more.day, 'UTC');
    const list = h(
      'ul.day-list',
      {},
      ...more.all.map((ev) => {
        const p = ev.extendedProps as Props;
        return h(
          'li',
          {},
          h(
            'button.link',
            {
              type: 'button',
              'data-testid': 'day-event',
              onclick: () => {
                dialog.el.close();
                if (isTaskEntry(p)) return openTask(p.colKey, p.href);
                const t = this.targetFor(p);
                if (t) void openEventEditor(this.state, t, {});
              },
            },
            h('span.swatch', { style: `background:${String(ev.backgroundColor ?? '')}` }),
            ev.allDay ? '' : `${time.format(ev.start as Date)} `,
            String(ev.title ?? ''),
          ),
        );
      }),
    );
    const dialog = modal(title, list, [{ label: t('dialog.close'), value: 'close' }]);
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
    const scope = target.occurrence?.recurring ? await scopeDialog('move') : 'all';
    if (!scope) return revert();
    const form = readEvent(parseCalendar(obj.data), target.occurrence);
    const gridEnd = ev.end ?? new Date(ev.start.getTime() + (ev.allDay ? DAY_MS : 3600000));
    try {
      await saveEdit(
        this.state,
        target,
        formWithTimes(form, fromGrid(ev.start, ev.allDay), fromGrid(gridEnd, ev.allDay), ev.allDay),
        scope,
      );
    } catch (err) {
      revert();
      await showError(err, () => this.state.sync(target.collection as Collection));
    }
  }
}
