import { WEEKDAYS, type Freq, type RuleForm } from '../../../src/formats/ical/rule-form.js';
import { firstDayOfWeek, formatWith, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';

/** RFC 5545 BYDAY codes by Date#getDay. */
const BY_GETDAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
/** The short weekday name in the UI locale (1970-01-04 was a Sunday). */
const dayName = (code: string): string =>
  formatWith(new Date(Date.UTC(1970, 0, 4 + BY_GETDAY.indexOf(code as (typeof BY_GETDAY)[number]))), {
    weekday: 'short',
    timeZone: 'UTC',
  });

/** The repeat section of the event editor; `read()` gives the rule (null = does not repeat). */
export function recurrenceEditor(
  initial: RuleForm | null,
  startDay: () => string,
): { el: HTMLElement; read: () => RuleForm | null } {
  const rule: RuleForm = initial
    ? { ...initial, byDay: [...initial.byDay] }
    : { freq: 'WEEKLY', interval: 1, byDay: [], monthly: 'date', end: 'never' };
  const freq = h(
    'select',
    { name: 'freq', 'aria-label': t('recur.repeats') },
    h('option', { value: '' }, t('recur.none')),
    ...(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as Freq[]).map((f) =>
      h(
        'option',
        { value: f },
        { DAILY: t('recur.daily'), WEEKLY: t('recur.weekly'), MONTHLY: t('recur.monthly'), YEARLY: t('recur.yearly') }[
          f
        ],
      ),
    ),
  );
  freq.value = initial ? initial.freq : '';
  const interval = h('input', {
    type: 'number',
    min: 1,
    max: 999,
    value: rule.interval,
    name: 'interval',
    'aria-label': t('recur.every'),
  });
  const days = WEEKDAYS.map((d) =>
    h('input', { type: 'checkbox', value: d, checked: rule.byDay.includes(d), 'aria-label': dayName(d) }),
  );
  const monthly = h(
    'select',
    { name: 'monthly', 'aria-label': t('recur.monthlyOn') },
    h('option', { value: 'date' }, t('recur.sameDate')),
    h('option', { value: 'weekday' }, t('recur.sameWeekday')),
  );
  monthly.value = rule.monthly;
  const end = h(
    'select',
    { name: 'ends', 'aria-label': t('recur.ends') },
    h('option', { value: 'never' }, t('recur.never')),
    h('option', { value: 'until' }, t('recur.onDate')),
    h('option', { value: 'count' }, t('recur.after')),
  );
  end.value = rule.end;
  const until = h('input', { type: 'date', name: 'until', value: rule.until ?? '', 'aria-label': t('recur.until') });
  const count = h('input', {
    type: 'number',
    min: 1,
    max: 9999,
    name: 'count',
    value: rule.count ?? 10,
    'aria-label': t('recur.occurrences'),
  });
  const raw = rule.raw ? h('p.hint', {}, t('recur.unknownRule', { rule: rule.raw })) : null;
  let touched = false;
  const details = h('div.recur-details');
  const render = (): void => {
    const f = freq.value;
    unit.textContent =
      (
        {
          DAILY: t('recur.unitDays'),
          WEEKLY: t('recur.unitWeeks'),
          MONTHLY: t('recur.unitMonths'),
          YEARLY: t('recur.unitYears'),
        } as Record<string, string>
      )[f] ?? '';
    details.hidden = f === '';
    weekRow.hidden = f !== 'WEEKLY';
    monthRow.hidden = f !== 'MONTHLY';
    until.hidden = end.value !== 'until';
    countWrap.hidden = end.value !== 'count';
    if (f === 'WEEKLY' && !days.some((d) => d.checked)) {
      const day = new Date(`${startDay()}T12:00:00`).getDay();
      const code = BY_GETDAY[day];
      days.find((d) => d.value === code)!.checked = true;
    }
  };
  const weekRow = h(
    'div.row.weekdays',
    { role: 'group', 'aria-label': t('recur.onDays') },
    // In the locale's week order (Monday first in de/fr/es/en-GB, Sunday first in en-US).
    ...Array.from({ length: 7 }, (_, i) => days[(firstDayOfWeek() + 6 + i) % 7]!).map((d) =>
      h('label.day', {}, d, dayName(d.value)),
    ),
  );
  const monthRow = h('div.row', {}, monthly);
  const countWrap = h('span', {}, count, ` ${t('recur.times')}`);
  const unit = h('span.unit', {}, '');
  details.append(
    h('div.row', {}, `${t('recur.every')} `, interval, ' ', unit),
    weekRow,
    monthRow,
    h('div.row', {}, `${t('recur.endsLabel')} `, end, ' ', until, countWrap),
  );
  const el = h('fieldset.recurrence', {}, h('legend', {}, t('recur.legend')), freq, raw, details);
  el.addEventListener('change', () => {
    touched = true;
    render();
  });
  render();
  return {
    el,
    read(): RuleForm | null {
      if (!freq.value) return null;
      if (rule.raw && !touched) return rule;
      return {
        freq: freq.value as Freq,
        interval: Math.max(1, Number(interval.value) || 1),
        byDay: days.filter((d) => d.checked).map((d) => d.value),
        monthly: monthly.value as 'date' | 'weekday',
        end: end.value as RuleForm['end'],
        until: until.value || undefined,
        count: Number(count.value) || undefined,
      };
    },
  };
}
