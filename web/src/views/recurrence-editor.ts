import { WEEKDAYS, type Freq, type RuleForm } from '../../../src/formats/ical/rule-form.js';
import { h } from '../ui/dom.js';

const DAY_NAMES: Record<string, string> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

/** The repeat section of the event editor; `read()` gives the rule (null = does not repeat). */
export function recurrenceEditor(initial: RuleForm | null, startDay: () => string): { el: HTMLElement; read: () => RuleForm | null } {
  const rule: RuleForm = initial ? { ...initial, byDay: [...initial.byDay] } : { freq: 'WEEKLY', interval: 1, byDay: [], monthly: 'date', end: 'never' };
  const freq = h('select', { name: 'freq', 'aria-label': 'Repeats' },
    h('option', { value: '' }, 'Does not repeat'),
    ...(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as Freq[]).map((f) => h('option', { value: f }, { DAILY: 'Daily', WEEKLY: 'Weekly', MONTHLY: 'Monthly', YEARLY: 'Yearly' }[f])));
  freq.value = initial ? initial.freq : '';
  const interval = h('input', { type: 'number', min: 1, max: 999, value: rule.interval, name: 'interval', 'aria-label': 'Every' });
  const days = WEEKDAYS.map((d) => h('input', { type: 'checkbox', value: d, checked: rule.byDay.includes(d), 'aria-label': DAY_NAMES[d] }));
  const monthly = h('select', { name: 'monthly', 'aria-label': 'Monthly on' }, h('option', { value: 'date' }, 'on the same date'), h('option', { value: 'weekday' }, 'on the same weekday (e.g. 2nd Tuesday)'));
  monthly.value = rule.monthly;
  const end = h('select', { name: 'ends', 'aria-label': 'Repeat ends' }, h('option', { value: 'never' }, 'never'), h('option', { value: 'until' }, 'on date'), h('option', { value: 'count' }, 'after'));
  end.value = rule.end;
  const until = h('input', { type: 'date', name: 'until', value: rule.until ?? '', 'aria-label': 'Until' });
  const count = h('input', { type: 'number', min: 1, max: 9999, name: 'count', value: rule.count ?? 10, 'aria-label': 'Occurrences' });
  const raw = rule.raw ? h('p.hint', {}, `This event uses a rule the editor cannot show (${rule.raw}); it is kept unless you change the repeat settings.`) : null;
  let touched = false;
  const details = h('div.recur-details');
  const render = (): void => {
    const f = freq.value;
    unit.textContent = ({ DAILY: 'day(s)', WEEKLY: 'week(s)', MONTHLY: 'month(s)', YEARLY: 'year(s)' } as Record<string, string>)[f] ?? '';
    details.hidden = f === '';
    weekRow.hidden = f !== 'WEEKLY';
    monthRow.hidden = f !== 'MONTHLY';
    until.hidden = end.value !== 'until';
    countWrap.hidden = end.value !== 'count';
    if (f === 'WEEKLY' && !days.some((d) => d.checked)) {
      const day = new Date(`${startDay()}T12:00:00`).getDay();
      const code = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][day];
      days.find((d) => d.value === code)!.checked = true;
    }
  };
  const weekRow = h('div.row.weekdays', { role: 'group', 'aria-label': 'On days' }, ...days.map((d, i) => h('label.day', {}, d, DAY_NAMES[WEEKDAYS[i]!]!)));
  const monthRow = h('div.row', {}, monthly);
  const countWrap = h('span', {}, count, ' times');
  const unit = h('span.unit', {}, '');
  details.append(h('div.row', {}, 'Every ', interval, ' ', unit), weekRow, monthRow, h('div.row', {}, 'Ends ', end, ' ', until, countWrap));
  const el = h('fieldset.recurrence', {}, h('legend', {}, 'Repeat'), freq, raw, details);
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
