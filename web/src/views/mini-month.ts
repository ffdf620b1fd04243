import { h } from '../ui/dom.js';

/**
 * One month as a small grid of day buttons (the year view's twelve months and the "Go to date"
 * picker). Days are `YYYY-MM-DD`; a day in `marked` has that many events: a dot, a larger one
 * from 3 and a ring from 6 (the busy days of a year at a glance), and the count in its label.
 * Pure DOM, no FullCalendar: twelve of these must stay cheap.
 */
export interface MiniMonthOptions {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly firstDay: number;
  readonly locale: string;
  /** Events per day. */
  readonly marked: ReadonlyMap<string, number>;
  /** The words for a day's count in its label and tooltip ("3 events"). */
  describe(count: number): string;
  readonly today: string;
  readonly selected?: string;
  /** A heading above the grid (the year view); the picker has its own. */
  readonly caption?: boolean;
  onPick(day: string): void;
}

const pad = (n: number): string => String(n).padStart(2, '0');
export const dayString = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export function miniMonth(o: MiniMonthOptions): HTMLElement {
  const first = new Date(Date.UTC(o.year, o.month - 1, 1));
  const lead = (first.getUTCDay() - o.firstDay + 7) % 7;
  const weekday = new Intl.DateTimeFormat(o.locale, { weekday: 'narrow', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(o.locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const monthName = new Intl.DateTimeFormat(o.locale, { month: 'long', timeZone: 'UTC' }).format(first);
  const head = h(
    'tr',
    {},
    ...Array.from({ length: 7 }, (_, i) => {
      // 4 Jan 1970 was a Sunday.
      const d = new Date(Date.UTC(1970, 0, 4 + ((o.firstDay + i) % 7)));
      return h(
        'th',
        { scope: 'col', abbr: new Intl.DateTimeFormat(o.locale, { weekday: 'long', timeZone: 'UTC' }).format(d) },
        weekday.format(d),
      );
    }),
  );
  const rows: HTMLElement[] = [];
  for (let week = 0; week < 6; week++) {
    const cells: HTMLElement[] = [];
    for (let i = 0; i < 7; i++) {
      const d = new Date(Date.UTC(o.year, o.month - 1, 1 - lead + week * 7 + i));
      const day = dayString(d);
      const inMonth = d.getUTCMonth() === o.month - 1;
      const count = o.marked.get(day) ?? 0;
      const load = count >= 6 ? 'full' : count >= 3 ? 'busy' : '';
      const cls = [
        'mini-day',
        inMonth ? '' : 'other',
        count > 0 ? 'has-events' : '',
        load,
        day === o.today ? 'today' : '',
        day === o.selected ? 'selected' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const counted = count > 0 ? o.describe(count) : undefined;
      cells.push(
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: cls,
              'data-date': day,
              'data-count': count || undefined,
              tabindex: inMonth ? 0 : -1,
              title: counted,
              'aria-label': `${long.format(d)}${counted ? `, ${counted}` : ''}`,
              'aria-current': day === o.today ? 'date' : undefined,
              onclick: () => o.onPick(day),
            },
            String(d.getUTCDate()),
          ),
        ),
      );
    }
    rows.push(h('tr', {}, ...cells));
  }
  return h(
    'table.mini-month',
    { 'aria-label': `${monthName} ${o.year}`, 'data-month': `${o.year}-${pad(o.month)}` },
    o.caption ? h('caption', {}, monthName) : null,
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}
