import { formatWith, t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { miniMonth } from './mini-month.js';

/**
 * "Go to date": a mini month with its own previous/next month buttons; a dot marks days with
 * events. Resolves with the picked day (`YYYY-MM-DD`) or null.
 */
export function pickDate(o: {
  selected: string;
  today: string;
  firstDay: number;
  locale: string;
  marked(year: number, month: number): ReadonlyMap<string, number>;
}): Promise<string | null> {
  let year = Number(o.selected.slice(0, 4));
  let month = Number(o.selected.slice(5, 7));
  let picked: string | null = null;
  const title = h('span.picker-title', { 'aria-live': 'polite' });
  const holder = h('div.picker-month');
  const render = (): void => {
    title.textContent = formatWith(new Date(Date.UTC(year, month - 1, 1)), {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    holder.replaceChildren(
      miniMonth({
        year,
        month,
        firstDay: o.firstDay,
        locale: o.locale,
        marked: o.marked(year, month),
        today: o.today,
        selected: o.selected,
        describe: (count) => t('calendar.eventCount', { count }),
        onPick: (day) => {
          picked = day;
          dialog.el.close('pick');
        },
      }),
    );
  };
  const step = (n: number): void => {
    const d = new Date(Date.UTC(year, month - 1 + n, 1));
    year = d.getUTCFullYear();
    month = d.getUTCMonth() + 1;
    render();
  };
  const body = h(
    'div.date-picker',
    {},
    h(
      'div.picker-head',
      {},
      h('button.icon', { type: 'button', 'aria-label': t('calendar.previousMonth'), onclick: () => step(-1) }, '‹'),
      title,
      h('button.icon', { type: 'button', 'aria-label': t('calendar.nextMonth'), onclick: () => step(1) }, '›'),
    ),
    holder,
  );
  render();
  const dialog = modal(t('calendar.goToDate'), body, [{ label: t('dialog.cancel'), value: 'cancel' }]);
  return dialog.result.then(() => picked);
}
