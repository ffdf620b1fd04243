import { createPlugin, sliceEvents, type PluginDef, type SpecificViewContentArg } from '@fullcalendar/core';
import { h } from '../ui/dom.js';
import { dayString, miniMonth } from './mini-month.js';

/** Days a single event may mark (a year; a longer span marks the year, not every day). */
const MAX_MARKED_DAYS = 366;

/**
 * The year view as a FullCalendar view (so the toolbar's title, prev/next and today work for it):
 * twelve mini months, each day marked by how many events it has, a click on a day opens that day.
 */
export function yearViewPlugin(opts: {
  firstDay: number;
  locale: string;
  today: () => Date;
  onPick: (day: string) => void;
  describe: (count: number) => string;
}): PluginDef {
  return createPlugin({
    name: 'almanac-year',
    views: {
      year: {
        duration: { years: 1 },
        classNames: ['almanac-year-view'],
        content: (props: SpecificViewContentArg) => {
          const year = props.dateProfile.currentRange.start.getUTCFullYear();
          const marked = new Map<string, number>();
          for (const seg of sliceEvents(props, true)) {
            const start = seg.range.start.getTime();
            const end = Math.max(start + 1, seg.range.end.getTime());
            for (let t = start, n = 0; t < end && n < MAX_MARKED_DAYS; t += 86400000, n++) {
              const day = dayString(new Date(t));
              marked.set(day, (marked.get(day) ?? 0) + 1);
            }
          }
          const today = dayString(opts.today());
          const grid = h(
            'div.year-grid',
            { 'data-year': year },
            ...Array.from({ length: 12 }, (_, i) =>
              miniMonth({
                year,
                month: i + 1,
                firstDay: opts.firstDay,
                locale: opts.locale,
                marked,
                today,
                caption: true,
                onPick: opts.onPick,
                describe: opts.describe,
              }),
            ),
          );
          return { domNodes: [grid] };
        },
      },
    },
  });
}
